import type { Logger } from 'pino';
import type { WeChatConfig } from '../../config';
import type { Clock } from '../clock/clock';
import { StableAccessTokenProvider } from './access-token';
import { FakeContentCheck, HttpContentCheck, type ContentCheck } from './content-check';
import { FakeWeChatAuth } from './fake-wechat-auth';
import { HttpWeChatAuth } from './http-wechat-auth';
import type { WeChatAuth } from './wechat-auth';

/** Everything the server asks of WeChat, behind one adapter: real HTTP clients or offline fakes. */
export interface WeChatAdapter {
  auth: WeChatAuth;
  contentCheck: ContentCheck;
}

export function createWeChatAdapter(config: WeChatConfig, clock: Clock, logger: Logger): WeChatAdapter {
  if (config.mode === 'fake') {
    return { auth: new FakeWeChatAuth(), contentCheck: new FakeContentCheck(config.fakeContentCheck) };
  }
  const tokens = new StableAccessTokenProvider({ ...config, clock, logger });
  return {
    auth: new HttpWeChatAuth({ ...config, logger }),
    contentCheck: new HttpContentCheck({ apiBase: config.apiBase, timeoutMs: config.timeoutMs, tokens, logger }),
  };
}
