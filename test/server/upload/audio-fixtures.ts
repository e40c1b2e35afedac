/**
 * Real audio files built byte by byte (silent payloads), so the tests need no binary fixtures:
 * what wx.getRecorderManager() records as `mp3` (MPEG-1 Layer III frames) and as `aac` (AAC in
 * an M4A container on iOS, raw ADTS frames on some Android phones).
 */

/** Samples per MPEG-1 Layer III frame, and per AAC frame. */
export const MP3_SAMPLES_PER_FRAME = 1152;
export const AAC_SAMPLES_PER_FRAME = 1024;

/**
 * MPEG-1 Layer III, 128 kbps, 44.1 kHz, joint stereo, no CRC: header `FF FB 90 44`.
 * A frame is floor(144 * 128000 / 44100) = 417 bytes, 418 with the padding bit set; like an
 * encoder, the padding bit is set whenever the running byte count falls behind the exact rate
 * (417.959… bytes a frame). Each frame lasts 1152 / 44100 s ≈ 26.12 ms.
 */
export function makeMp3(seconds: number, options: { id3?: boolean } = {}): Buffer {
  const frameCount = Math.round((seconds * 44100) / MP3_SAMPLES_PER_FRAME);
  const exactFrameBytes = (144 * 128000) / 44100;
  const frames: Buffer[] = [];
  let written = 0;
  for (let i = 0; i < frameCount; i++) {
    const padded = written + 417 < exactFrameBytes * (i + 1) - 0.5;
    const frame = Buffer.alloc(padded ? 418 : 417); // zeroed side info and main data: silence
    frame.set([0xff, 0xfb, padded ? 0x92 : 0x90, 0x44]);
    frames.push(frame);
    written += frame.length;
  }
  return Buffer.concat([...(options.id3 ? [id3v2Tag('Teacher voice note')] : []), ...frames]);
}

/** Seconds of `makeMp3(seconds)`: a whole number of frames. */
export const mp3FramesSeconds = (seconds: number) => (Math.round((seconds * 44100) / MP3_SAMPLES_PER_FRAME) * MP3_SAMPLES_PER_FRAME) / 44100;

/** An ID3v2.3 tag with one TIT2 (title) frame, as recorders and editors put in front of MP3 audio. */
function id3v2Tag(title: string): Buffer {
  const text = Buffer.concat([Buffer.from([0x00]), Buffer.from(title, 'latin1')]); // encoding 0: ISO-8859-1
  const frameHeader = Buffer.alloc(10);
  frameHeader.write('TIT2', 0, 'ascii');
  frameHeader.writeUInt32BE(text.length, 4);
  const body = Buffer.concat([frameHeader, text]);
  const header = Buffer.from([0x49, 0x44, 0x33, 0x03, 0x00, 0x00, 0, 0, 0, 0]);
  // The tag size is a 28-bit "synchsafe" integer: four bytes of 7 bits each.
  for (let i = 0; i < 4; i++) header[9 - i] = (body.length >> (7 * i)) & 0x7f;
  return Buffer.concat([header, body]);
}

/**
 * ADTS AAC-LC, 16 kHz, mono, no CRC (`FF F1`): each frame is a 7-byte header and a silent
 * payload, 1024 samples = 64 ms.
 */
export function makeAdts(seconds: number, frameBytes = 96): Buffer {
  const frameCount = Math.round((seconds * 16000) / AAC_SAMPLES_PER_FRAME);
  const header = Buffer.alloc(7);
  header[0] = 0xff;
  header[1] = 0xf1; // sync, MPEG-4, layer 00, protection absent
  const profile = 1; // AAC LC (audio object type 2, minus 1)
  const sampleRateIndex = 8; // 16000 Hz
  const channels = 1;
  header[2] = (profile << 6) | (sampleRateIndex << 2) | (channels >> 2);
  header[3] = ((channels & 0x3) << 6) | ((frameBytes >> 11) & 0x3);
  header[4] = (frameBytes >> 3) & 0xff;
  header[5] = ((frameBytes & 0x7) << 5) | 0x1f; // buffer fullness 0x7FF (variable bitrate)
  header[6] = 0xfc; // rest of buffer fullness, one raw data block
  const frame = Buffer.concat([header, Buffer.alloc(frameBytes - 7)]);
  return Buffer.concat(Array.from({ length: frameCount }, () => frame));
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const versionAndFlags = Buffer.alloc(4);
  versionAndFlags.writeUInt32BE(((version << 24) | flags) >>> 0);
  return box(type, versionAndFlags, ...payload);
}

const u32 = (...values: number[]) => {
  const buffer = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => buffer.writeUInt32BE(value >>> 0, 4 * i));
  return buffer;
};
const u16 = (...values: number[]) => {
  const buffer = Buffer.alloc(2 * values.length);
  values.forEach((value, i) => buffer.writeUInt16BE(value, 2 * i));
  return buffer;
};
const identityMatrix = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

/**
 * An M4A file as iOS records it for `aac`: `ftyp` (M4A), `moov` with one sound track (AAC-LC
 * `mp4a` sample entry with an `esds`, 16 kHz mono; media timescale 16000) and the sample tables,
 * then `mdat` with one silent AAC frame per 1024 samples. The duration is in `mvhd` and `mdhd`.
 */
export function makeM4a(seconds: number, frameBytes = 96): Buffer {
  const sampleRate = 16000;
  const frameCount = Math.round((seconds * sampleRate) / AAC_SAMPLES_PER_FRAME);
  const mediaDuration = frameCount * AAC_SAMPLES_PER_FRAME;
  const ftyp = box('ftyp', Buffer.from('M4A ', 'latin1'), u32(0), Buffer.from('M4A isommp42', 'latin1'));

  const mvhd = fullBox('mvhd', 0, 0, u32(0, 0, 1000, Math.round((mediaDuration * 1000) / sampleRate), 0x00010000), u16(0x0100), Buffer.alloc(10), identityMatrix, Buffer.alloc(24), u32(2));
  const tkhd = fullBox('tkhd', 0, 7, u32(0, 0, 1, 0, Math.round((mediaDuration * 1000) / sampleRate)), Buffer.alloc(8), u16(0, 0, 0x0100, 0), identityMatrix, u32(0, 0));
  const mdhd = fullBox('mdhd', 0, 0, u32(0, 0, sampleRate, mediaDuration), u16(0x55c4, 0)); // language "und"
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('soun', 'latin1'), Buffer.alloc(12), Buffer.from('SoundHandler\0', 'latin1'));
  const smhd = fullBox('smhd', 0, 0, u16(0, 0));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  // AudioSpecificConfig for AAC-LC (object type 2), 16 kHz (index 8), mono: 0b00010 1000 0001 000
  const audioSpecificConfig = Buffer.from([0x14, 0x08]);
  const decoderSpecific = Buffer.concat([Buffer.from([0x05, audioSpecificConfig.length]), audioSpecificConfig]);
  const decoderConfig = Buffer.concat([Buffer.from([0x04, 13 + decoderSpecific.length, 0x40, 0x15, 0, 0, 0]), u32(32000, 32000), decoderSpecific]);
  const slConfig = Buffer.from([0x06, 0x01, 0x02]);
  const esDescriptor = Buffer.concat([Buffer.from([0x03, 3 + decoderConfig.length + slConfig.length]), u16(1), Buffer.from([0]), decoderConfig, slConfig]);
  const esds = fullBox('esds', 0, 0, esDescriptor);
  const mp4a = box('mp4a', Buffer.alloc(6), u16(1), u16(0, 0), u32(0), u16(1, 16, 0, 0), u32(sampleRate << 16), esds);
  const stsd = fullBox('stsd', 0, 0, u32(1), mp4a);
  const stts = fullBox('stts', 0, 0, u32(1, frameCount, AAC_SAMPLES_PER_FRAME));
  const stsc = fullBox('stsc', 0, 0, u32(1, 1, frameCount, 1));
  const stsz = fullBox('stsz', 0, 0, u32(frameBytes, frameCount));
  const moovWith = (chunkOffset: number) =>
    box(
      'moov',
      mvhd,
      box(
        'trak',
        tkhd,
        box('mdia', mdhd, hdlr, box('minf', smhd, dinf, box('stbl', stsd, stts, stsc, stsz, fullBox('stco', 0, 0, u32(1, chunkOffset))))),
      ),
    );
  const moovLength = moovWith(0).length;
  const moov = moovWith(ftyp.length + moovLength + 8);
  const mdat = box('mdat', Buffer.alloc(frameCount * frameBytes));
  return Buffer.concat([ftyp, moov, mdat]);
}
