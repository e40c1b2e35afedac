import { createHash } from 'node:crypto';
import { wechatCodeInvalid, type WeChatAuth, type WeChatSession } from './wechat-auth';

const fakeCodePattern = /^fake:([A-Za-z0-9_-]{1,64})$/;

/**
 * The session_key fake mode gives an openid. Deterministic, so tests and the demo can encrypt
 * group proofs for a fake member exactly as WeChat would with a real one.
 */
export function fakeSessionKeyFor(openid: string): string {
  return createHash('sha256').update(`fake-session-key:${openid}`).digest().subarray(0, 16).toString('base64');
}

/** Offline WeChat: the login code `fake:<openid>` logs in as that openid. */
export class FakeWeChatAuth implements WeChatAuth {
  async codeToSession(code: string): Promise<WeChatSession> {
    const match = fakeCodePattern.exec(code);
    if (!match) throw wechatCodeInvalid();
    const openid = match[1];
    return { openid, sessionKey: fakeSessionKeyFor(openid) };
  }
}
