/** The image types members may upload, by what the bytes are (never the file name or the client's word). */
export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp';

export const imageContentTypes: readonly ImageContentType[] = ['image/jpeg', 'image/png', 'image/webp'];

export const extensionOf: Readonly<Record<ImageContentType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/**
 * The image type by magic bytes: JPEG `FF D8 FF`; PNG's 8-byte signature; WebP `RIFF <size> WEBP`
 * followed by a `VP8 `, `VP8L` or `VP8X` chunk. Anything else (text, SVG, GIF, HEIC, …) is null.
 */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (
    startsWith(bytes, ascii('RIFF')) &&
    startsWith(bytes, ascii('WEBP'), 8) &&
    (startsWith(bytes, ascii('VP8 '), 12) || startsWith(bytes, ascii('VP8L'), 12) || startsWith(bytes, ascii('VP8X'), 12))
  ) {
    return 'image/webp';
  }
  return null;
}
