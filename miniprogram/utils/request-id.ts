/** A client request id for an idempotent purchase (the server accepts 8-64 of [A-Za-z0-9_-]). */
export function newRequestId(now: number = Date.now()): string {
  let random = '';
  while (random.length < 12) random += Math.random().toString(36).slice(2);
  return `r${now.toString(36)}-${random.slice(0, 12)}`;
}
