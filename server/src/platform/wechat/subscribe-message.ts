import type { Logger } from 'pino';
import type { AccessTokenProvider } from './access-token';
import { postJson, requestWeChatJson } from './wechat-http';

/** One subscription message to one member (WeChat: 订阅消息, one-time template). */
export interface SubscribeMessage {
  /** The member's openid. */
  touser: string;
  templateId: string;
  /** The mini program page the message opens, e.g. `pages/checkin/detail?id=12`. */
  page: string;
  /** Template keywords (`thing1`, `time2`, `phrase3`, …) and their values. */
  data: Record<string, string>;
}

/**
 * `sent`: WeChat accepted it. `no-consent`: the member has no accepted subscription left for this
 * template (43101; ask again at the next tap). `failed`: anything else (bad field, bad template,
 * WeChat down, timeout), already logged.
 */
export type SendOutcome = 'sent' | 'no-consent' | 'failed';

export interface SubscribeMessageSender {
  /** Never throws for a WeChat refusal or outage: callers fan out to many members. */
  send(message: SubscribeMessage): Promise<{ outcome: SendOutcome; errcode?: number }>;
}

/** WeChat's errcode when the member has no subscription (consent) left for the template. */
export const NO_CONSENT_ERRCODE = 43101;

/**
 * Length limits WeChat documents for template keyword types, in characters (code points). A
 * keyword's type is its name without the trailing number (`thing1` → `thing`). Types not listed
 * (number, letter, symbol, time, date, amount, phone_number, car_number, …) are sent as given:
 * cutting a number or a date would change its meaning, so WeChat's 47003 is the better answer.
 */
export const keywordMaxLength: Readonly<Record<string, number>> = {
  thing: 20,
  character_string: 32,
  phrase: 5,
  name: 10,
};

/** A `name` keyword of only ASCII letters and symbols may have 20 characters (WeChat: 纯英文名 20 个字母内). */
const ASCII_NAME_MAX_LENGTH = 20;

const keywordPattern = /^([a-z_]+?)\d+$/;

/** The keyword type of a template data key (`thing12` → `thing`), or null for an unusual key. */
export function keywordTypeOf(key: string): string | null {
  return keywordPattern.exec(key)?.[1] ?? null;
}

/**
 * The value as WeChat will take it: cut to its keyword type's limit by code points (so a Chinese
 * character or an emoji is never split). A cut `thing` ends in `…` so the reader sees it was cut;
 * the stricter types (`phrase` is Chinese only, `character_string` ASCII only) are cut plainly.
 */
export function fitKeywordValue(key: string, value: string): string {
  const type = keywordTypeOf(key);
  if (type === null || !Object.prototype.hasOwnProperty.call(keywordMaxLength, type)) return value;
  const characters = Array.from(value);
  const limit = type === 'name' && /^[\x20-\x7e]*$/.test(value) ? ASCII_NAME_MAX_LENGTH : keywordMaxLength[type];
  if (characters.length <= limit) return value;
  if (type === 'thing') return `${characters.slice(0, limit - 1).join('')}…`;
  return characters.slice(0, limit).join('');
}

/** The request body's `data`: `{thing1: {value: "…"}, …}` with every value fitted. */
export function templateData(data: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value: fitKeywordValue(key, value) }]));
}

/**
 * Offline sender for fake mode and tests: remembers every message it "sent" and logs it at debug.
 * `refuseFor(openid)` makes it answer `no-consent` for that member, like WeChat's 43101.
 */
export class FakeSubscribeMessageSender implements SubscribeMessageSender {
  readonly sent: SubscribeMessage[] = [];
  private readonly withoutConsent = new Set<string>();

  constructor(private readonly logger?: Logger) {}

  refuseFor(...openids: string[]): void {
    for (const openid of openids) this.withoutConsent.add(openid);
  }

  consentAgain(...openids: string[]): void {
    for (const openid of openids) this.withoutConsent.delete(openid);
  }

  async send(message: SubscribeMessage): Promise<{ outcome: SendOutcome; errcode?: number }> {
    if (this.withoutConsent.has(message.touser)) {
      this.logger?.debug({ openid: message.touser, templateId: message.templateId }, 'fake subscribe message: no consent');
      return { outcome: 'no-consent', errcode: NO_CONSENT_ERRCODE };
    }
    const fitted: SubscribeMessage = {
      ...message,
      data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, fitKeywordValue(key, value)])),
    };
    this.sent.push(fitted);
    this.logger?.debug({ openid: fitted.touser, templateId: fitted.templateId, page: fitted.page, data: fitted.data }, 'fake subscribe message sent');
    return { outcome: 'sent' };
  }
}

export interface HttpSubscribeMessageOptions {
  apiBase: string;
  timeoutMs: number;
  tokens: AccessTokenProvider;
  logger: Logger;
  /** Which version of the mini program the message opens: formal (released), trial or developer. */
  miniprogramState: 'formal' | 'trial' | 'developer';
  lang?: 'zh_CN';
}

interface SubscribeSendAnswer {
  errcode?: number;
  errmsg?: string;
}

/** access_token errors: invalid (40001), expired (42001), not a token (40014). */
const staleTokenCodes = new Set([40001, 40014, 42001]);

/** What a failed errcode usually means, for the log (the errmsg is WeChat's, often terse). */
const failureHints: Record<number, string> = {
  40003: 'touser is not an openid of this mini program',
  40037: 'template_id is wrong (or not added to this mini program)',
  41030: 'page does not exist in the released mini program',
  47003: 'a template field is missing, too long or of the wrong kind',
};

/** A transport failure (network, timeout, HTTP error, not JSON): already logged by post(). */
const transportFailed = Symbol('transport failed');

/** `POST {apiBase}/cgi-bin/message/subscribe/send?access_token=…` */
export class HttpSubscribeMessageSender implements SubscribeMessageSender {
  constructor(private readonly options: HttpSubscribeMessageOptions) {}

  async send(message: SubscribeMessage): Promise<{ outcome: SendOutcome; errcode?: number }> {
    const context = { openid: message.touser, templateId: message.templateId };
    const body = JSON.stringify({
      touser: message.touser,
      template_id: message.templateId,
      page: message.page,
      data: templateData(message.data),
      miniprogram_state: this.options.miniprogramState,
      lang: this.options.lang ?? 'zh_CN',
    });

    const token = await this.token(context);
    if (token === null) return { outcome: 'failed' };
    let answer = await this.post(token, body, context);
    if (answer !== transportFailed && answer.errcode !== undefined && staleTokenCodes.has(answer.errcode)) {
      this.options.logger.info({ ...context, errcode: answer.errcode }, 'subscribe/send: access_token rejected; fetching a fresh one and retrying once');
      this.options.tokens.invalidate(token);
      const fresh = await this.token(context);
      if (fresh === null) return { outcome: 'failed' };
      answer = await this.post(fresh, body, context);
    }
    if (answer === transportFailed) return { outcome: 'failed' };

    const errcode = answer.errcode ?? 0;
    if (errcode === 0) return { outcome: 'sent' };
    if (errcode === NO_CONSENT_ERRCODE) {
      this.options.logger.debug(context, 'subscribe/send: the member has no subscription left for this template');
      return { outcome: 'no-consent', errcode };
    }
    this.options.logger.warn(
      { ...context, errcode, errmsg: answer.errmsg, hint: failureHints[errcode] },
      'subscribe/send refused the message',
    );
    return { outcome: 'failed', errcode };
  }

  private async token(context: { openid: string; templateId: string }): Promise<string | null> {
    try {
      return await this.options.tokens.getToken();
    } catch (error) {
      this.options.logger.warn({ ...context, err: error }, 'subscribe/send: no access_token; message not sent');
      return null;
    }
  }

  private async post(
    token: string,
    body: string,
    context: { openid: string; templateId: string },
  ): Promise<SubscribeSendAnswer | typeof transportFailed> {
    const url = new URL(`${this.options.apiBase}/cgi-bin/message/subscribe/send`);
    url.searchParams.set('access_token', token);
    const answer = await requestWeChatJson<SubscribeSendAnswer>(url, postJson(body), { api: 'subscribe/send', ...this.options, context });
    return answer ?? transportFailed;
  }
}
