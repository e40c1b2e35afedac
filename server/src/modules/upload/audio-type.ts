/**
 * The voice-note formats teachers may upload (what `wx.getRecorderManager()` records as `mp3` or
 * `aac`), by what the bytes are (never the file name or the client's word):
 * - `audio/mpeg`: MP3 (an ID3v2 tag, or an MPEG audio frame header at the start);
 * - `audio/mp4`: AAC in an ISO-BMFF (MP4/M4A) container, what iOS records for `aac`;
 * - `audio/aac`: raw ADTS AAC frames, what some Android phones record for `aac`.
 */
export type AudioContentType = 'audio/mpeg' | 'audio/mp4' | 'audio/aac';

export const audioContentTypes: readonly AudioContentType[] = ['audio/mpeg', 'audio/mp4', 'audio/aac'];

export const audioExtensionOf: Readonly<Record<AudioContentType, string>> = {
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
};

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

/**
 * An MPEG-1/2/2.5 audio frame header at `offset`: 11 sync bits, a version that is not the
 * reserved one, a layer (I, II or III; `00` is reserved, and is what ADTS uses), a bitrate index
 * other than free (0) or bad (15), and a sampling rate index other than reserved (3).
 */
export function isMpegAudioFrameHeader(bytes: Uint8Array, offset = 0): boolean {
  if (bytes.length < offset + 4) return false;
  const [b0, b1, b2] = [bytes[offset], bytes[offset + 1], bytes[offset + 2]];
  if (b0 !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11;
  const layer = (b1 >> 1) & 0b11;
  const bitrateIndex = b2 >> 4;
  const sampleRateIndex = (b2 >> 2) & 0b11;
  return version !== 0b01 && layer !== 0b00 && bitrateIndex !== 0 && bitrateIndex !== 0xf && sampleRateIndex !== 0b11;
}

/**
 * An ADTS header at `offset`: 12 sync bits, layer `00`, a sampling frequency index that exists
 * (0–12) and a frame length that at least covers the header (`FF F1` MPEG-4 / `FF F9` MPEG-2
 * without CRC, `FF F0` / `FF F8` with one).
 */
export function isAdtsHeader(bytes: Uint8Array, offset = 0): boolean {
  if (bytes.length < offset + 7) return false;
  const b = (i: number) => bytes[offset + i];
  if (b(0) !== 0xff || (b(1) & 0xf6) !== 0xf0) return false;
  const sampleRateIndex = (b(2) >> 2) & 0x0f;
  const frameLength = ((b(3) & 0x03) << 11) | (b(4) << 3) | (b(5) >> 5);
  const headerLength = b(1) & 0x01 ? 7 : 9;
  return sampleRateIndex <= 12 && frameLength >= headerLength;
}

/** ID3v2 (`ID3`, a major version 2–4, and a size of four 7-bit bytes) in front of MPEG audio. */
function isId3v2Tag(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, ascii('ID3')) || bytes.length < 10) return false;
  const major = bytes[3];
  return major >= 2 && major <= 4 && [6, 7, 8, 9].every((i) => bytes[i] < 0x80);
}

/** An ISO-BMFF file opens with a `ftyp` box: a 32-bit size of at least 16, then `ftyp`. */
function isIsoBmff(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || !startsWith(bytes, ascii('ftyp'), 4)) return false;
  const size = ((bytes[0] << 24) >>> 0) + (bytes[1] << 16) + (bytes[2] << 8) + bytes[3];
  return size >= 16;
}

/**
 * The audio type by magic bytes, or null. This only picks the parser: the route then has
 * music-metadata read the whole file and refuses it unless a duration comes out.
 */
export function sniffAudioType(bytes: Uint8Array): AudioContentType | null {
  if (isIsoBmff(bytes)) return 'audio/mp4';
  if (isAdtsHeader(bytes)) return 'audio/aac';
  if (isId3v2Tag(bytes) || isMpegAudioFrameHeader(bytes)) return 'audio/mpeg';
  return null;
}
