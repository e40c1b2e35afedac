import type { Logger } from 'pino';
import {
  wechatCodeInvalid,
  wechatRateLimited,
  wechatUnavailable,
  wechatUserBlocked,
  type WeChatAuth,
  type WeChatSession,
} from './wechat-auth';
import { AppError } from '../http/errors';
import { requestWeChatJson } from './wechat-http';

export interface HttpWeChatOptions {
  apiBase: string;
  appId: string;
  secret: string;
  timeoutMs: number;
  logger: Logger;
}

interface Code2SessionAnswer {
  openid?: string;
  session_key?: string;
  unionid?: string;
  errcode?: number;
  errmsg?: string;
}

/** The real jscode2session client (GET {WECHAT_API_BASE}/sns/jscode2session). */
export class HttpWeChatAuth implements WeChatAuth {
  constructor(private readonly options: HttpWeChatOptions) {}

  async codeToSession(code: string): Promise<WeChatSession> {
    const url = new URL(`${this.options.apiBase}/sns/jscode2session`);
    url.search = new URLSearchParams({
      appid: this.options.appId,
      secret: this.options.secret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString();

    const answer = await requestWeChatJson<Code2SessionAnswer>(url, {}, { api: 'jscode2session', ...this.options });
    if (!answer) throw wechatUnavailable();
    if (answer.errcode) throw this.errorFor(answer);
    if (!answer.openid || !answer.session_key) {
      this.options.logger.error({ answer: { ...answer, session_key: undefined } }, 'jscode2session answered without openid/session_key');
      throw wechatUnavailable();
    }
    return { openid: answer.openid, sessionKey: answer.session_key, unionid: answer.unionid || undefined };
  }

  private errorFor(answer: Code2SessionAnswer): AppError {
    switch (answer.errcode) {
      case 40029:
      case 40163: // code already used
        return wechatCodeInvalid();
      case 45011:
        return wechatRateLimited();
      case 40226:
        return wechatUserBlocked();
      case -1:
        return wechatUnavailable();
      default:
        this.options.logger.error({ errcode: answer.errcode, errmsg: answer.errmsg }, 'jscode2session refused the login');
        return new AppError(502, 'WECHAT_ERROR', `WeChat refused the login (errcode ${answer.errcode}).`);
    }
  }
}
