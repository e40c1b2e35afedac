import type * as MusicMetadata from 'music-metadata';
import type { AudioContentType } from './audio-type';

/** music-metadata takes about 0.2 s to load: the first voice note pays for it, not every start of the server. */
let musicMetadata: typeof MusicMetadata | undefined;
function loadMusicMetadata(): typeof MusicMetadata {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  musicMetadata ??= require('music-metadata') as typeof MusicMetadata;
  return musicMetadata;
}

export interface MeasuredAudio {
  /** The type the parser confirmed (an ID3 tag in front of ADTS frames is AAC, not MP3). */
  contentType: AudioContentType;
  /** Duration in seconds as music-metadata computed it (not rounded). */
  seconds: number;
}

/**
 * Reads the whole file with music-metadata (`duration: true`: MP3 by its Xing/VBRI header, by
 * file size for constant bitrate, or by counting every frame; ADTS by counting frames; MP4 from
 * the audio track's media header) and answers its type and duration, or null when the bytes are
 * not a readable audio file of the sniffed family or yield no positive, finite duration.
 */
export async function measureAudio(bytes: Buffer, sniffed: AudioContentType): Promise<MeasuredAudio | null> {
  let format: Awaited<ReturnType<typeof MusicMetadata.parseBuffer>>['format'];
  try {
    ({ format } = await loadMusicMetadata().parseBuffer(bytes, { mimeType: sniffed, size: bytes.length }, { duration: true, skipCovers: true }));
  } catch {
    return null;
  }
  const seconds = format.duration;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return null;

  if (sniffed === 'audio/mp4') {
    // The MP4 parser reports a duration only for a track with a sound sample description.
    return typeof format.numberOfChannels === 'number' && format.numberOfChannels > 0 ? { contentType: 'audio/mp4', seconds } : null;
  }
  // MP3 and ADTS go through the same MPEG parser, which names the stream it actually found.
  const container = format.container ?? '';
  if (container === 'MPEG') return { contentType: 'audio/mpeg', seconds };
  if (container.startsWith('ADTS/')) return { contentType: 'audio/aac', seconds };
  return null;
}
