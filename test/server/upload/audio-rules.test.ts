import { measureAudio } from '../../../server/src/modules/upload/audio-duration';
import { isAdtsHeader, isMpegAudioFrameHeader, sniffAudioType } from '../../../server/src/modules/upload/audio-type';
import { parseByteRange } from '../../../server/src/modules/upload/byte-range';
import { keyFromAudioUploadUrl, keyFromUploadUrl, newAudioKey, newImageKey, uploadUrlFor } from '../../../server/src/modules/upload/upload-keys';
import { contentTypeOfKey } from '../../../server/src/platform/storage/object-storage';
import { makeAdts, makeM4a, makeMp3, mp3FramesSeconds } from './audio-fixtures';
import { makePng, tinyJpeg } from './upload-test-app';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('sniffAudioType (magic bytes only)', () => {
  it.each([
    ['MPEG-1 Layer III frames', makeMp3(1), 'audio/mpeg'],
    ['an ID3v2 tag', makeMp3(1, { id3: true }), 'audio/mpeg'],
    ['MPEG-2 Layer III (22.05 kHz, FF F3)', hex('FFF39064'), 'audio/mpeg'],
    ['an M4A (ftyp box)', makeM4a(1), 'audio/mp4'],
    ['ADTS, MPEG-4, no CRC (FF F1)', makeAdts(1), 'audio/aac'],
    ['ADTS, MPEG-2, no CRC (FF F9)', hex('FFF9 6040 0C1F FC'), 'audio/aac'],
    ['a PNG', makePng(), null],
    ['a JPEG (FF D8 FF is no frame sync)', tinyJpeg, null],
    ['text', Buffer.from('hello there'), null],
    ['nothing', Buffer.alloc(0), null],
    ['FF F9 (layer 00) with an ADTS frame length of 0', hex('FFF90000000000'), null],
    ['MPEG sync with the reserved version (FF EB)', hex('FFEB9044'), null],
    ['MPEG sync with bitrate index 15', hex('FFFBF044'), null],
    ['MPEG sync with the reserved sampling rate', hex('FFFB9C44'), null],
    ['"ID3" text without a tag header', Buffer.from('ID3 is a tag format'), null],
    ['ftyp at the wrong place', Buffer.from('....xxftypM4A ........'), null],
    ['a WAV file', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), null],
  ])('%s → %s', (_name, bytes, expected) => {
    expect(sniffAudioType(bytes)).toBe(expected);
  });

  it('the MP3 and ADTS header checks do not take each other', () => {
    expect(isMpegAudioFrameHeader(makeAdts(1))).toBe(false);
    expect(isAdtsHeader(makeMp3(1))).toBe(false);
  });
});

describe('measureAudio (music-metadata over the whole file)', () => {
  it.each([
    ['MP3', makeMp3(20), 'audio/mpeg', 'audio/mpeg', mp3FramesSeconds(20)],
    ['MP3 after an ID3 tag', makeMp3(33, { id3: true }), 'audio/mpeg', 'audio/mpeg', mp3FramesSeconds(33)],
    ['M4A', makeM4a(20), 'audio/mp4', 'audio/mp4', 20],
    ['ADTS', makeAdts(20), 'audio/aac', 'audio/aac', 20],
    ['ADTS behind an ID3 tag (sniffed as MP3, parsed as AAC)', Buffer.concat([makeMp3(0, { id3: true }), makeAdts(7)]), 'audio/mpeg', 'audio/aac', 7],
  ] as const)('%s', async (_name, bytes, sniffed, contentType, seconds) => {
    const measured = await measureAudio(bytes, sniffed);
    expect(measured?.contentType).toBe(contentType);
    // Within 0.1 s: music-metadata may count one 64 ms ADTS frame less than were written.
    expect(Math.abs((measured?.seconds ?? -1) - seconds)).toBeLessThan(0.1);
  });

  it('follows the audio, not the file name: a frame-accurate 26.12 ms per MP3 frame', async () => {
    const frames = Math.round((12 * 44100) / 1152);
    expect((await measureAudio(makeMp3(12), 'audio/mpeg'))?.seconds).toBeCloseTo((frames * 1152) / 44100, 3);
  });

  it.each([
    ['a frame header and then text', Buffer.concat([makeMp3(0.1).subarray(0, 4), Buffer.from('x'.repeat(2000))]), 'audio/mpeg'],
    ['an M4A without its moov box', makeM4a(5).subarray(0, 40), 'audio/mp4'],
    ['a PNG claimed to be MP4', makePng(), 'audio/mp4'],
  ] as const)('is null for %s', async (_name, bytes, sniffed) => {
    expect(await measureAudio(bytes, sniffed)).toBeNull();
  });
});

describe('voice-note keys and URLs', () => {
  const random = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

  it('newAudioKey: audio/<yyyy>/<mm in UTC>/<32 hex>.mp3|m4a|aac', () => {
    expect(newAudioKey(new Date('2026-11-30T23:30:00Z'), 'audio/mpeg', random)).toBe('audio/2026/11/00112233445566778899aabbccddeeff.mp3');
    expect(newAudioKey(new Date('2026-12-01T07:59:00+08:00'), 'audio/mp4', random)).toBe('audio/2026/11/00112233445566778899aabbccddeeff.m4a');
    expect(newAudioKey(new Date('2026-01-05T00:00:00Z'), 'audio/aac')).toMatch(/^audio\/2026\/01\/[0-9a-f]{32}\.aac$/);
  });

  it('storage serves the audio extensions with their content types', () => {
    expect(contentTypeOfKey(newAudioKey(new Date(), 'audio/mpeg'))).toBe('audio/mpeg');
    expect(contentTypeOfKey(newAudioKey(new Date(), 'audio/mp4'))).toBe('audio/mp4');
    expect(contentTypeOfKey(newAudioKey(new Date(), 'audio/aac'))).toBe('audio/aac');
  });

  it('keyFromAudioUploadUrl accepts exactly the URLs POST /uploads/audio answers, and images keep to theirs', () => {
    const audioKey = newAudioKey(new Date(), 'audio/mpeg');
    const imageKey = newImageKey(new Date(), 'image/png');
    expect(keyFromAudioUploadUrl(uploadUrlFor(audioKey))).toBe(audioKey);
    expect(keyFromAudioUploadUrl(uploadUrlFor(imageKey))).toBeNull();
    expect(keyFromUploadUrl(uploadUrlFor(audioKey))).toBeNull();
  });

  it.each([
    'https://evil.example/uploads/audio/2026/11/00112233445566778899aabbccddeeff.mp3',
    '/uploads/audio/2026/11/00112233445566778899aabbccddeeff.mp3?x=1',
    '/uploads/audio/2026/11/00112233445566778899aabbccddeeff.wav',
    '/uploads/audio/2026/11/0011.mp3',
    '/uploads/audio/2026/11/../../../secret.mp3',
    '/uploads/img/2026/11/00112233445566778899aabbccddeeff.mp3',
    '/api/v1/uploads/audio/2026/11/00112233445566778899aabbccddeeff.mp3',
    '',
  ])('keyFromAudioUploadUrl refuses %j', (url) => {
    expect(keyFromAudioUploadUrl(url)).toBeNull();
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 42, ['/uploads/x'], { url: '/uploads/x' }]) expect(keyFromAudioUploadUrl(value)).toBeNull();
  });
});

describe('parseByteRange', () => {
  it.each([
    [undefined, null],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=990-', { start: 990, end: 999 }],
    ['bytes=-10', { start: 990, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=500-5000', { start: 500, end: 999 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=9-1', null],
    ['bytes=-', null],
    ['bytes=0-1,4-5', null],
    ['items=0-1', null],
  ] as const)('%j of 1000 bytes → %j', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected);
  });
});
