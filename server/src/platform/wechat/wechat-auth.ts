import { AppError } from '../http/errors';

/** What WeChat's jscode2session tells us about a login code. */
export interface WeChatSession {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

/** The login half of the WeChat adapter. */
export interface WeChatAuth {
  codeToSession(code: string): Promise<WeChatSession>;
}

export const wechatCodeInvalid = () =>
  new AppError(401, 'WECHAT_CODE_INVALID', 'This WeChat login code is invalid or already used; call wx.login() again and send the new code.');

export const wechatRateLimited = () =>
  new AppError(429, 'WECHAT_RATE_LIMITED', 'Too many logins for this WeChat user right now; wait a minute and try again.');

export const wechatUnavailable = () =>
  new AppError(503, 'WECHAT_UNAVAILABLE', 'WeChat did not answer in time; try again in a moment.');

export const wechatUserBlocked = () =>
  new AppError(403, 'WECHAT_USER_BLOCKED', 'WeChat marked this account as high-risk and refused the login.');
