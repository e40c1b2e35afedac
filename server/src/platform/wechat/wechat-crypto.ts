import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * WeChat's encrypted user data (group enter info, share info): AES-128-CBC with PKCS#7 padding,
 * key = base64(session_key), iv = base64(iv). Returns the parsed JSON, or null when it does not
 * decrypt to JSON with that key.
 */
export function decryptWeChatData(encryptedData: string, iv: string, sessionKey: string): unknown {
  const key = Buffer.from(sessionKey, 'base64');
  const ivBytes = Buffer.from(iv, 'base64');
  if (key.length !== 16 || ivBytes.length !== 16) return null;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, ivBytes);
    const plain = Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    return null;
  }
}

/** The inverse, exactly as WeChat encrypts: used by fake mode, tests and the demo to make proofs. */
export function encryptLikeWeChat(payload: unknown, sessionKey: string, iv: Buffer): { encryptedData: string; iv: string } {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return { encryptedData: encrypted.toString('base64'), iv: iv.toString('base64') };
}
