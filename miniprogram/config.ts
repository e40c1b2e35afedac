/**
 * The one place for environment settings of the Mini Program.
 *
 * loginMode 'fake': the local server (WECHAT_MODE=fake) accepts `fake:<openid>` codes and rejects real
 * wx.login codes, so the client invents a device openid once and keeps it in storage.
 * loginMode 'wechat': send the code from wx.login() (a server with WECHAT_MODE=real).
 */
export type LoginMode = 'fake' | 'wechat';

export interface AppConfig {
  apiBaseUrl: string;
  loginMode: LoginMode;
  /** wx.request timeout in milliseconds. */
  requestTimeoutMs: number;
}

export const config: AppConfig = {
  apiBaseUrl: 'http://127.0.0.1:3000/api/v1',
  loginMode: 'fake',
  requestTimeoutMs: 10000,
};
