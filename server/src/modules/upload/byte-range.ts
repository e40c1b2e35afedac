/**
 * One `Range: bytes=…` range of a file of `size` bytes (RFC 9110 §14.1.2): `[start, end]` inclusive,
 * `'unsatisfiable'`, or null to answer the whole file (no header, several ranges, or a header that
 * is not a byte range: all of which a server may ignore).
 */
export function parseByteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]); // the last N bytes
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return null; // invalid: ignore it
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
