import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { filesUnder, loginAs, makePng, startUploadTestApp, tinyJpeg, tinyWebp, type UploadTestApp } from './upload-test-app';

const MAX_BYTES = 64 * 1024;
let t: UploadTestApp;
let auth: { Authorization: string };

beforeAll(async () => {
  t = await startUploadTestApp({ maxImageBytes: MAX_BYTES });
  auth = await loginAs(t, 'uploader');
});
afterAll(() => t.close());

const upload = () => t.http.post('/api/v1/uploads/images').set(auth);

async function expectRefusedAndNothingStored(
  answer: { status: number; body: { error?: { code?: string; message?: string } } },
  status: number,
  code: string,
) {
  expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status, code });
  expect(answer.body.error?.message).toEqual(expect.any(String));
  expect(await filesUnder(t.uploadsDir)).toEqual(before);
}

let before: string[] = [];
beforeEach(async () => {
  before = await filesUnder(t.uploadsDir);
});

describe('POST /api/v1/uploads/images', () => {
  it.each([
    ['PNG', () => makePng(3, 2), 'image/png', 'png'],
    ['JPEG', () => tinyJpeg, 'image/jpeg', 'jpg'],
    ['WebP', () => tinyWebp, 'image/webp', 'webp'],
  ])('stores a real %s and answers 201 {key, url, contentType, bytes}', async (_name, bytesOf, contentType, extension) => {
    const bytes = bytesOf();
    const answer = await upload().attach('file', bytes, `photo.${extension}`).expect(201);
    expect(answer.body).toEqual({
      key: expect.stringMatching(new RegExp(`^img/2026/11/[0-9a-f]{32}\\.${extension}$`)),
      url: `/uploads/${answer.body.key}`,
      contentType,
      bytes: bytes.length,
    });
    const onDisk = await fs.readFile(path.join(t.uploadsDir, ...answer.body.key.split('/')));
    expect(onDisk.equals(bytes)).toBe(true);
    expect(await filesUnder(t.uploadsDir)).toEqual([...before, answer.body.key].sort());
  });

  it('judges the type by content, not by the file name or the client content type', async () => {
    const png = makePng();
    const answer = await upload().attach('file', png, { filename: 'holiday.jpg', contentType: 'image/jpeg' }).expect(201);
    expect(answer.body.contentType).toBe('image/png');
    expect(answer.body.key).toMatch(/\.png$/);
  });

  it('gives every upload its own random key, even for the same bytes', async () => {
    const png = makePng(1, 1);
    const keys = new Set<string>();
    for (let i = 0; i < 5; i++) keys.add((await upload().attach('file', png, 'same.png').expect(201)).body.key);
    expect(keys.size).toBe(5);
  });

  it('accepts the small text fields wx.uploadFile may send along with the file', async () => {
    await upload().field('cohortId', '12').attach('file', makePng(), 'a.png').expect(201);
  });

  it.each([
    ['a text file renamed .jpg', Buffer.from('hello, this is not a picture\n'), 'notes.jpg', 'image/jpeg'],
    ['an HTML page named .png', Buffer.from('<html><script>alert(1)</script></html>'), 'x.png', 'image/png'],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml'],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'x.gif', 'image/gif'],
    ['an empty file', Buffer.alloc(0), 'empty.jpg', 'image/jpeg'],
    ['RIFF that is not WebP (WAV)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00', 'latin1'), 'x.webp', 'image/webp'],
  ])('refuses %s with 415 UNSUPPORTED_IMAGE_TYPE and stores nothing', async (_name, bytes, filename, contentType) => {
    await expectRefusedAndNothingStored(
      await upload().attach('file', bytes, { filename, contentType }),
      415,
      'UNSUPPORTED_IMAGE_TYPE',
    );
  });

  it('accepts an image of exactly the size limit', async () => {
    const exact = Buffer.concat([makePng(), Buffer.alloc(MAX_BYTES - makePng().length)]);
    const answer = await upload().attach('file', exact, 'exact.png').expect(201);
    expect(answer.body.bytes).toBe(MAX_BYTES);
  });

  it.each([
    ['one byte over the limit', MAX_BYTES + 1],
    ['far over the limit (2 MB)', 2 * 1024 * 1024],
  ])('refuses an image %s with 413 FILE_TOO_LARGE and stores nothing', async (_name, size) => {
    const big = Buffer.concat([makePng(), Buffer.alloc(size - makePng().length)]);
    const answer = await upload().attach('file', big, 'big.png');
    await expectRefusedAndNothingStored(answer, 413, 'FILE_TOO_LARGE');
    expect(answer.body.error.details).toEqual({ maxBytes: MAX_BYTES });
  });

  it('refuses a caller without a token (401) and with a bad token (401), storing nothing', async () => {
    await expectRefusedAndNothingStored(
      await t.http.post('/api/v1/uploads/images').attach('file', makePng(), 'a.png'),
      401,
      'UNAUTHENTICATED',
    );
    await expectRefusedAndNothingStored(
      await t.http.post('/api/v1/uploads/images').set('Authorization', `Bearer ${'x'.repeat(43)}`).attach('file', makePng(), 'a.png'),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('refuses a multipart body without a file (400 VALIDATION_FAILED)', async () => {
    const answer = await upload().field('note', 'no file here');
    await expectRefusedAndNothingStored(answer, 400, 'VALIDATION_FAILED');
    expect(answer.body.error.message).toMatch(/"file"/);
  });

  it('refuses a JSON body or no body at all (400 VALIDATION_FAILED)', async () => {
    await expectRefusedAndNothingStored(await upload().send({ file: 'aGVsbG8=' }), 400, 'VALIDATION_FAILED');
    await expectRefusedAndNothingStored(await upload(), 400, 'VALIDATION_FAILED');
  });

  it('refuses a file in another field (400 VALIDATION_FAILED)', async () => {
    await expectRefusedAndNothingStored(await upload().attach('image', makePng(), 'a.png'), 400, 'VALIDATION_FAILED');
  });

  it('refuses more than one file (400), whichever fields they are in', async () => {
    await expectRefusedAndNothingStored(
      await upload().attach('file', makePng(), 'a.png').attach('file', makePng(), 'b.png'),
      400,
      'VALIDATION_FAILED',
    );
    await expectRefusedAndNothingStored(
      await upload().attach('file', makePng(), 'a.png').attach('other', makePng(), 'b.png'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses a malformed multipart body with 400, not 500', async () => {
    const truncated = '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG';
    await expectRefusedAndNothingStored(
      await upload().set('Content-Type', 'multipart/form-data; boundary=xyz').send(truncated),
      400,
      'VALIDATION_FAILED',
    );
    await expectRefusedAndNothingStored(
      await upload().set('Content-Type', 'multipart/form-data').send('no boundary at all'),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('GET /uploads/<key>', () => {
  let uploaded: { key: string; url: string };
  const png = makePng(4, 4, [0xff, 0x00, 0x00]);
  beforeAll(async () => {
    uploaded = (await t.http.post('/api/v1/uploads/images').set(auth).attach('file', png, 'red.png').expect(201)).body;
  });

  it('serves the exact bytes with the stored type and safe headers, without a token', async () => {
    const answer = await t.http.get(uploaded.url).buffer(true).expect(200);
    expect(Buffer.compare(answer.body as Buffer, png)).toBe(0);
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.headers['content-length']).toBe(String(png.length));
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe("default-src 'none'");
    expect(answer.headers['content-disposition']).toBe('inline');
    expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers HEAD with the headers and no body', async () => {
    const answer = await t.http.head(uploaded.url).expect(200);
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an unknown key with a JSON 404 NOT_FOUND', async () => {
    const answer = await t.http.get(`/uploads/img/2026/11/${'0'.repeat(32)}.png`).expect(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
  });

  it('answers other methods with 405 and Allow', async () => {
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const answer = await t.http[method](uploaded.url).expect(405);
      expect(answer.body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
  });

  describe('never serves anything outside the uploads directory', () => {
    let server: http.Server;
    let port: number;
    const secret = makePng(1, 1, [0, 0, 0]);
    beforeAll(async () => {
      // A file next to the uploads directory, with a name a key could have, and a temporary file.
      await fs.writeFile(path.join(t.dataDir, 'secret.png'), secret);
      await fs.writeFile(path.join(t.uploadsDir, 'img', 'leftover.png.abc123.tmp'), secret);
      server = http.createServer(t.app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    /** A raw GET whose path is sent exactly as written (supertest would normalise `..`). */
    const rawGet = (rawPath: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: rawPath }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });

    it('a raw request for the file itself (control: the raw client works)', async () => {
      expect((await rawGet(uploaded.url)).status).toBe(200);
    });

    it.each([
      '/uploads/../secret.png',
      '/uploads/img/../../secret.png',
      '/uploads/..%2Fsecret.png',
      '/uploads/%2e%2e/secret.png',
      '/uploads/%2E%2E%2Fsecret.png',
      '/uploads/..\\secret.png',
      '/uploads//etc/passwd',
      '/uploads/img/leftover.png.abc123.tmp',
      '/uploads/img',
      '/uploads/',
      '/uploads/IMG/2026/11/X.PNG',
    ])('%s → 404 NOT_FOUND', async (rawPath) => {
      const answer = await rawGet(rawPath);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.objectContaining({ code: 'NOT_FOUND' }) });
    });

    it('the key of an upload with encoded slashes does not reach the file', async () => {
      const answer = await rawGet(`/uploads/${uploaded.key.replaceAll('/', '%2F')}`);
      expect(answer.status).toBe(404);
    });
  });
});

describe('OpenAPI', () => {
  it('documents the upload as multipart/form-data with a binary "file" and its error statuses', () => {
    const operation = (t.openApiDocument.paths as Record<string, Record<string, Record<string, unknown>>>)['/api/v1/uploads/images'].post as {
      requestBody: { required: boolean; content: Record<string, { schema: { properties: Record<string, { type: string; format: string }>; required: string[] } }> };
      responses: Record<string, unknown>;
      security: unknown[];
    };
    const multipart = operation.requestBody.content['multipart/form-data'];
    expect(multipart.schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(multipart.schema.required).toEqual(['file']);
    expect(Object.keys(operation.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(operation.responses).sort()).toEqual(['201', '400', '401', '413', '415', '429', '503']);
    expect(operation.security).toEqual([{ bearerAuth: [] }]);
  });

  it('is still a valid OpenAPI 3 document', () => {
    const program = `
      import { Validator } from '@seriousme/openapi-schema-validator';
      let input = '';
      for await (const chunk of process.stdin) input += chunk;
      const result = await new Validator().validate(JSON.parse(input));
      process.stdout.write(JSON.stringify(result.valid ? { valid: true } : { valid: false, errors: result.errors }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], { input: JSON.stringify(t.openApiDocument) });
    expect(JSON.parse(output.toString())).toEqual({ valid: true });
  });
});
