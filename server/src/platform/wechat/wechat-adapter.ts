import type { Logger } from 'pino';
import type { PayConfig, WeChatConfig } from '../../config';
import { createWeChatPay, type WeChatPay } from './pay/wechat-pay';
import type { Clock } from '../clock/clock';
import { StableAccessTokenProvider } from './access-token';
import { FakeContentCheck, HttpContentCheck, type ContentCheck } from './content-check';
import { FakeWeChatAuth } from './fake-wechat-auth';
import { HttpWeChatAuth } from './http-wechat-auth';
import type { WeChatAuth } from './wechat-auth';
import { FakeSubscribeMessageSender, HttpSubscribeMessageSender, type SubscribeMessageSender } from './subscribe-message';
import { FakeWxaCodeClient, HttpWxaCodeClient, type WxaCodeClient } from './wxacode';

/** Everything the server asks of WeChat, behind one adapter: real HTTP clients or offline fakes. */
export interface WeChatAdapter {
  auth: WeChatAuth;
  contentCheck: ContentCheck;
  subscribeMessages: SubscribeMessageSender;
  pay: WeChatPay;
  /** Mini Program codes for posters (wxacode.getUnlimited). */
  wxaCode: WxaCodeClient;
}

export function createWeChatAdapter(config: WeChatConfig, payConfig: PayConfig, clock: Clock, logger: Logger): WeChatAdapter {
  const pay =
    payConfig.mode === 'real'
      ? createWeChatPay('real', { ...payConfig, appId: config.appId, timeoutMs: config.timeoutMs }, { clock, logger, appId: config.appId })
      : createWeChatPay(payConfig.mode, null, { clock, logger, appId: config.appId });
  if (config.mode === 'fake') {
    return {
      pay,
      auth: new FakeWeChatAuth(),
      contentCheck: new FakeContentCheck(config.fakeContentCheck),
      subscribeMessages: new FakeSubscribeMessageSender(logger),
      wxaCode: new FakeWxaCodeClient(config.wxaCodeEnv),
    };
  }
  const tokens = new StableAccessTokenProvider({ ...config, clock, logger });
  return {
    pay,
    auth: new HttpWeChatAuth({ ...config, logger }),
    contentCheck: new HttpContentCheck({ apiBase: config.apiBase, timeoutMs: config.timeoutMs, tokens, logger }),
    subscribeMessages: new HttpSubscribeMessageSender({
      apiBase: config.apiBase, timeoutMs: config.timeoutMs, tokens, logger, miniprogramState: config.miniprogramState,
    }),
    wxaCode: new HttpWxaCodeClient({ apiBase: config.apiBase, timeoutMs: config.timeoutMs, tokens, logger, envVersion: config.wxaCodeEnv }),
  };
}
