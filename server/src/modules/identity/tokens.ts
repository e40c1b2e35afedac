import { createHash, randomBytes } from 'node:crypto';

/** A new opaque bearer token: 256 random bits, URL-safe. Only its hash is stored. */
export function newBearerToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashBearerToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
