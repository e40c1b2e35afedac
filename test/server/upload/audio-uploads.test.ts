import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeAdts, makeM4a, makeMp3, mp3FramesSeconds } from './audio-fixtures';
import { filesUnder, loginAs, loginWithRoles, makePng, startUploadTestApp, type UploadTestApp } from './upload-test-app';

/** The app with the default audio limits (2 MB, 60 s), as the current app.ts call gets them. */
let t: UploadTestApp;
let teacher: { Authorization: string };
let operator: { Authorization: string };
let member: { Authorization: string };

beforeAll(async () => {
  t = await startUploadTestApp({ maxImageBytes: 64 * 1024, operatorOpenids: ['op_audio'] });
  operator = await loginAs(t, 'op_audio');
  teacher = await loginWithRoles(t, operator, 'teacher_audio', ['teacher']);
  member = await loginAs(t, 'member_audio');
});
afterAll(() => t.close());

let before: string[] = [];
beforeEach(async () => {
  before = await filesUnder(t.uploadsDir);
});

const uploadAs = (who: { Authorization: string }) => t.http.post('/api/v1/uploads/audio').set(who);

async function expectRefusedAndNothingStored(
  answer: { status: number; body: { error?: { code?: string; message?: string } } },
  status: number,
  code: string,
) {
  expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status, code });
  expect(answer.body.error?.message).toEqual(expect.any(String));
  expect(await filesUnder(t.uploadsDir)).toEqual(before);
}

describe('POST /api/v1/uploads/audio', () => {
  it.each([
    ['an MP3 (MPEG-1 Layer III frames)', () => makeMp3(20), 'rec.mp3', 'audio/mpeg', 'mp3'],
    ['an MP3 with an ID3v2 tag in front', () => makeMp3(20, { id3: true }), 'rec.mp3', 'audio/mpeg', 'mp3'],
    ['an M4A (AAC in MP4, as iOS records aac)', () => makeM4a(20), 'rec.m4a', 'audio/mp4', 'm4a'],
    ['raw ADTS AAC (as some Android phones record aac)', () => makeAdts(20), 'rec.aac', 'audio/aac', 'aac'],
  ])('stores 20 s of %s and answers 201 {key, url, contentType, bytes, durationSeconds}', async (_name, bytesOf, filename, contentType, extension) => {
    const bytes = bytesOf();
    const answer = await uploadAs(teacher).attach('file', bytes, filename).expect(201);
    expect(answer.body).toEqual({
      key: expect.stringMatching(new RegExp(`^audio/2026/11/[0-9a-f]{32}\\.${extension}$`)),
      url: `/uploads/${answer.body.key}`,
      contentType,
      bytes: bytes.length,
      durationSeconds: expect.any(Number),
    });
    // Measured from the file (frame count / media header), not taken from the client.
    expect(answer.body.durationSeconds).toBeGreaterThanOrEqual(19);
    expect(answer.body.durationSeconds).toBeLessThanOrEqual(21);
    const onDisk = await fs.readFile(path.join(t.uploadsDir, ...answer.body.key.split('/')));
    expect(onDisk.equals(bytes)).toBe(true);
    expect(await filesUnder(t.uploadsDir)).toEqual([...before, answer.body.key].sort());
  });

  it('measures the duration from the audio: 5 s and 45 s recordings answer 5 and 45', async () => {
    expect((await uploadAs(teacher).attach('file', makeMp3(5), 'a.mp3').expect(201)).body.durationSeconds).toBe(5);
    expect((await uploadAs(teacher).attach('file', makeMp3(45), 'b.mp3').expect(201)).body.durationSeconds).toBe(45);
    expect((await uploadAs(teacher).attach('file', makeM4a(45), 'b.m4a').expect(201)).body.durationSeconds).toBe(45);
  });

  it('an operator may upload too', async () => {
    await uploadAs(operator).attach('file', makeMp3(3), 'op.mp3').expect(201);
  });

  it('judges the type by content, not by the file name or the client content type', async () => {
    const answer = await uploadAs(teacher).attach('file', makeM4a(4), { filename: 'voice.mp3', contentType: 'audio/mpeg' }).expect(201);
    expect(answer.body.contentType).toBe('audio/mp4');
    expect(answer.body.key).toMatch(/\.m4a$/);
  });

  it('accepts a recording of exactly the 60 s limit (WeChat stops the recorder at the limit)', async () => {
    expect(mp3FramesSeconds(60)).toBeGreaterThan(60); // a whole number of frames runs a little over
    const answer = await uploadAs(teacher).attach('file', makeMp3(60), 'sixty.mp3').expect(201);
    expect(answer.body.durationSeconds).toBe(60);
  });

  it.each([
    ['an MP3 of 70 s', () => makeMp3(70), 'long.mp3', 70],
    ['an MP3 of 61 s', () => makeMp3(61), 'long.mp3', 61],
    ['an M4A of 70 s', () => makeM4a(70), 'long.m4a', 70],
    ['ADTS AAC of 70 s', () => makeAdts(70), 'long.aac', 70],
  ])('refuses %s with 400 AUDIO_TOO_LONG {seconds, maxSeconds} and stores nothing', async (_name, bytesOf, filename, seconds) => {
    const bytes = bytesOf();
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024); // refused for its length, not its size
    const answer = await uploadAs(teacher).attach('file', bytes, filename);
    await expectRefusedAndNothingStored(answer, 400, 'AUDIO_TOO_LONG');
    expect(answer.body.error.details).toEqual({ seconds: expect.any(Number), maxSeconds: 60 });
    expect(Math.abs(answer.body.error.details.seconds - seconds)).toBeLessThan(0.5);
  });

  it.each([
    ['a PNG renamed .mp3', () => makePng(), 'photo.mp3', 'audio/mpeg'],
    ['a text file named .m4a', () => Buffer.from('this is not a recording\n'), 'notes.m4a', 'audio/mp4'],
    ['an empty file', () => Buffer.alloc(0), 'empty.mp3', 'audio/mpeg'],
    ['an MP3 frame header followed by text', () => Buffer.concat([makeMp3(0.1).subarray(0, 4), Buffer.from('hello '.repeat(300))]), 'x.mp3', 'audio/mpeg'],
    ['an ID3 tag and nothing else', () => makeMp3(0, { id3: true }), 'x.mp3', 'audio/mpeg'],
    ['an M4A cut off inside its moov box', () => makeM4a(20).subarray(0, 200), 'x.m4a', 'audio/mp4'],
    ['a WAV file', () => Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00', 'latin1'), 'x.wav', 'audio/wav'],
  ])('refuses %s with 415 UNSUPPORTED_AUDIO_TYPE and stores nothing', async (_name, bytesOf, filename, contentType) => {
    await expectRefusedAndNothingStored(await uploadAs(teacher).attach('file', bytesOf(), { filename, contentType }), 415, 'UNSUPPORTED_AUDIO_TYPE');
  });

  it('refuses a file over 2 MB with 413 FILE_TOO_LARGE, even a valid recording, and stores nothing', async () => {
    const big = makeMp3(135); // 128 kbps: about 2.16 MB
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const answer = await uploadAs(teacher).attach('file', big, 'big.mp3');
    await expectRefusedAndNothingStored(answer, 413, 'FILE_TOO_LARGE');
    expect(answer.body.error.details).toEqual({ maxBytes: 2 * 1024 * 1024 });
    expect(answer.body.error.message).toMatch(/voice note/);
  });

  it('takes a member\'s own recording (voice check-ins), and refuses a caller without a token (401), storing nothing', async () => {
    const own = await uploadAs(member).attach('file', makeMp3(5), 'a.mp3').expect(201);
    expect(own.body).toMatchObject({ contentType: 'audio/mpeg', durationSeconds: 5 });
    before = await filesUnder(t.uploadsDir);
    await expectRefusedAndNothingStored(await t.http.post('/api/v1/uploads/audio').attach('file', makeMp3(5), 'a.mp3'), 401, 'UNAUTHENTICATED');
  });

  it('refuses a body without a file, or with the file in another field (400 VALIDATION_FAILED)', async () => {
    const noFile = await uploadAs(teacher).field('note', 'no file');
    await expectRefusedAndNothingStored(noFile, 400, 'VALIDATION_FAILED');
    expect(noFile.body.error.message).toMatch(/voice note.*"file"/);
    await expectRefusedAndNothingStored(await uploadAs(teacher).attach('audio', makeMp3(3), 'a.mp3'), 400, 'VALIDATION_FAILED');
    await expectRefusedAndNothingStored(
      await uploadAs(teacher).attach('file', makeMp3(3), 'a.mp3').attach('file', makeMp3(3), 'b.mp3'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('the image route does not take recordings, and the audio route does not take images', async () => {
    await expectRefusedAndNothingStored(await t.http.post('/api/v1/uploads/images').set(teacher).attach('file', makeMp3(3), 'a.jpg'), 415, 'UNSUPPORTED_IMAGE_TYPE');
    await expectRefusedAndNothingStored(await uploadAs(teacher).attach('file', makePng(), 'a.png'), 415, 'UNSUPPORTED_AUDIO_TYPE');
  });
});

describe('GET /uploads/audio/<key>', () => {
  const mp3 = makeMp3(8);
  let uploaded: { key: string; url: string };
  beforeAll(async () => {
    uploaded = (await uploadAs(teacher).attach('file', mp3, 'serve.mp3').expect(201)).body;
  });

  it('serves the exact bytes as audio/mpeg with the safe headers, without a token', async () => {
    const answer = await t.http.get(uploaded.url).buffer(true).expect(200);
    expect(Buffer.compare(answer.body as Buffer, mp3)).toBe(0);
    expect(answer.headers['content-type']).toBe('audio/mpeg');
    expect(answer.headers['content-length']).toBe(String(mp3.length));
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe("default-src 'none'");
    expect(answer.headers['content-disposition']).toBe('inline');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(answer.headers['accept-ranges']).toBe('bytes');
  });

  it('serves an M4A as audio/mp4 and ADTS as audio/aac', async () => {
    for (const [bytes, type] of [[makeM4a(2), 'audio/mp4'], [makeAdts(2), 'audio/aac']] as const) {
      const { url } = (await uploadAs(teacher).attach('file', bytes, 'x').expect(201)).body;
      const answer = await t.http.get(url).buffer(true).expect(200);
      expect(answer.headers['content-type']).toBe(type);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.compare(answer.body as Buffer, bytes)).toBe(0);
    }
  });

  it('answers a byte range with 206 and Content-Range (media players ask for ranges)', async () => {
    const answer = await t.http.get(uploaded.url).set('Range', 'bytes=100-1123').buffer(true).expect(206);
    expect(answer.headers['content-range']).toBe(`bytes 100-1123/${mp3.length}`);
    expect(answer.headers['content-length']).toBe('1024');
    expect(answer.headers['content-type']).toBe('audio/mpeg');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(answer.body as Buffer, mp3.subarray(100, 1124))).toBe(0);

    const open = await t.http.get(uploaded.url).set('Range', 'bytes=0-').buffer(true).expect(206);
    expect(open.headers['content-range']).toBe(`bytes 0-${mp3.length - 1}/${mp3.length}`);
    const suffix = await t.http.get(uploaded.url).set('Range', 'bytes=-10').buffer(true).expect(206);
    expect(Buffer.compare(suffix.body as Buffer, mp3.subarray(mp3.length - 10))).toBe(0);
  });

  it('answers a range beyond the end with 416 and Content-Range bytes */size; ignores ranges it does not serve', async () => {
    const answer = await t.http.get(uploaded.url).set('Range', `bytes=${mp3.length}-`).expect(416);
    expect(answer.headers['content-range']).toBe(`bytes */${mp3.length}`);
    expect(answer.body.error.code).toBe('RANGE_NOT_SATISFIABLE');
    // Several ranges, or not bytes: the whole file (a server may ignore Range).
    await t.http.get(uploaded.url).set('Range', 'bytes=0-1,5-9').expect(200);
    await t.http.get(uploaded.url).set('Range', 'pages=1-2').expect(200);
  });
});

describe('audio limits from the deps', () => {
  let small: UploadTestApp;
  let smallTeacher: { Authorization: string };
  beforeAll(async () => {
    small = await startUploadTestApp({ maxImageBytes: 64 * 1024, maxAudioBytes: 100 * 1024, maxAudioSeconds: 10, operatorOpenids: ['op_small'] });
    smallTeacher = await loginWithRoles(small, await loginAs(small, 'op_small'), 'teacher_small', ['teacher']);
  });
  afterAll(() => small.close());

  it('uses maxAudioSeconds and maxAudioBytes when given', async () => {
    await small.http.post('/api/v1/uploads/audio').set(smallTeacher).attach('file', makeM4a(10), 'ok.m4a').expect(201);
    const tooLong = await small.http.post('/api/v1/uploads/audio').set(smallTeacher).attach('file', makeM4a(12), 'long.m4a').expect(400);
    expect(tooLong.body.error).toMatchObject({ code: 'AUDIO_TOO_LONG', details: { maxSeconds: 10 } });
    const tooBig = await small.http.post('/api/v1/uploads/audio').set(smallTeacher).attach('file', makeMp3(7), 'big.mp3').expect(413);
    expect(tooBig.body.error.details).toEqual({ maxBytes: 100 * 1024 });
  });
});

describe('OpenAPI', () => {
  it('documents POST /uploads/audio as multipart with a binary "file", for members and staff (403/404 for a cohortId not mine)', () => {
    const operation = (t.openApiDocument.paths as Record<string, Record<string, Record<string, unknown>>>)['/api/v1/uploads/audio'].post as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, { type: string; format: string }>; required: string[] } }> };
      responses: Record<string, unknown>;
    };
    const multipart = operation.requestBody.content['multipart/form-data'];
    expect(multipart.schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(Object.keys(operation.responses).sort()).toEqual(['201', '400', '401', '403', '404', '413', '415', '429', '503']);
  });
});
