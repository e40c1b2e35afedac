import { sniffImageType } from '../../../server/src/modules/upload/image-type';
import { isOwnUploadUrl, keyFromUploadUrl, newImageKey, uploadUrlFor } from '../../../server/src/modules/upload/upload-keys';
import { makePng, tinyJpeg, tinyWebp } from './upload-test-app';

describe('sniffImageType (magic bytes only)', () => {
  it.each([
    ['a PNG', makePng(), 'image/png'],
    ['a JPEG', tinyJpeg, 'image/jpeg'],
    ['a WebP (VP8L)', tinyWebp, 'image/webp'],
    ['a WebP header with a VP8 chunk', Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'), 'image/webp'],
    ['a WebP header with a VP8X chunk', Buffer.from('RIFF\0\0\0\0WEBPVP8X', 'latin1'), 'image/webp'],
    ['text', Buffer.from('just some text'), null],
    ['nothing', Buffer.alloc(0), null],
    ['two JPEG bytes only', Buffer.from([0xff, 0xd8]), null],
    ['a PNG signature cut short', makePng().subarray(0, 7), null],
    ['RIFF WEBP without a VP8 chunk', Buffer.from('RIFF\0\0\0\0WEBPJUNK', 'latin1'), null],
    ['RIFF WAVE', Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'), null],
    ['a GIF', Buffer.from('GIF89a', 'latin1'), null],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ['a PDF', Buffer.from('%PDF-1.7'), null],
    ['text that mentions PNG', Buffer.from(' PNG\r\n'), null],
  ])('%s → %s', (_name, bytes, expected) => {
    expect(sniffImageType(bytes)).toBe(expected);
  });
});

describe('upload keys and URLs', () => {
  it('newImageKey: img/<yyyy>/<mm in UTC>/<32 hex>.<ext of the sniffed type>', () => {
    const random = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(newImageKey(new Date('2026-11-30T23:30:00Z'), 'image/jpeg', random)).toBe('img/2026/11/00112233445566778899aabbccddeeff.jpg');
    expect(newImageKey(new Date('2026-12-01T07:59:00+08:00'), 'image/webp', random)).toBe('img/2026/11/00112233445566778899aabbccddeeff.webp');
    expect(newImageKey(new Date('2026-01-05T00:00:00Z'), 'image/png')).toMatch(/^img\/2026\/01\/[0-9a-f]{32}\.png$/);
  });

  it('keyFromUploadUrl accepts exactly the URLs POST /uploads/images answers', () => {
    const key = newImageKey(new Date(), 'image/png');
    expect(keyFromUploadUrl(uploadUrlFor(key))).toBe(key);
    expect(isOwnUploadUrl(uploadUrlFor(key))).toBe(true);
  });

  it.each([
    'https://evil.example/uploads/img/2026/11/00112233445566778899aabbccddeeff.jpg',
    '//evil.example/uploads/img/2026/11/00112233445566778899aabbccddeeff.jpg',
    '/uploads/img/2026/11/00112233445566778899aabbccddeeff.jpg?x=1',
    '/uploads/img/2026/11/00112233445566778899aabbccddeeff.gif',
    '/uploads/img/2026/11/0011.jpg',
    '/uploads/img/2026/11/../../../secret.jpg',
    '/uploads/img/2026/11/00112233445566778899AABBCCDDEEFF.jpg',
    'uploads/img/2026/11/00112233445566778899aabbccddeeff.jpg',
    '/api/v1/uploads/img/2026/11/00112233445566778899aabbccddeeff.jpg',
    '',
  ])('keyFromUploadUrl refuses %j', (url) => {
    expect(keyFromUploadUrl(url)).toBeNull();
    expect(isOwnUploadUrl(url)).toBe(false);
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 42, ['/uploads/x'], { url: '/uploads/x' }]) expect(keyFromUploadUrl(value)).toBeNull();
  });
});
