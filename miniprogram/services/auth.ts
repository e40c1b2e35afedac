import { config } from '../config';
import { ApiError, httpRequest } from './http';
import type { LoginResponse } from './api-types';

export const TOKEN_KEY = 'auth.token';
export const FAKE_OPENID_KEY = 'auth.fakeOpenid';

export function getToken(): string {
  return wx.getStorageSync<string>(TOKEN_KEY) || '';
}

export function clearToken(): void {
  wx.removeStorageSync(TOKEN_KEY);
}

/** A random openid for this device, made once and kept, so the fake-mode server sees the same member. */
function fakeOpenid(): string {
  let openid = wx.getStorageSync<string>(FAKE_OPENID_KEY);
  if (!openid) {
    openid = `dev-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    wx.setStorageSync(FAKE_OPENID_KEY, openid);
  }
  return openid;
}

function wechatCode(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => resolve(res.code),
      fail: (err) => reject(new ApiError(0, 'WECHAT_LOGIN_FAILED', `微信登录失败：${err.errMsg}`)),
    });
  });
}

async function loginCode(): Promise<string> {
  return config.loginMode === 'fake' ? `fake:${fakeOpenid()}` : wechatCode();
}

let pendingLogin: Promise<LoginResponse> | null = null;

/**
 * wx.login -> POST /auth/wechat-login -> token in storage. Concurrent callers share one login, so several
 * requests that hit a 401 together log in only once.
 */
export function login(): Promise<LoginResponse> {
  if (!pendingLogin) {
    pendingLogin = (async () => {
      const code = await loginCode();
      const result = await httpRequest<LoginResponse>({ method: 'POST', path: '/auth/wechat-login', body: { code } });
      wx.setStorageSync(TOKEN_KEY, result.token);
      return result;
    })().finally(() => {
      pendingLogin = null;
    });
  }
  return pendingLogin;
}

/** Resolves once the login in flight (if any) has finished, whether it worked or not. */
export async function loginSettled(): Promise<void> {
  if (pendingLogin) await pendingLogin.catch(() => undefined);
}
