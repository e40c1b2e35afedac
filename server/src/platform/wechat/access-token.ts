import type { Logger } from 'pino';
import type { Clock } from '../clock/clock';
import { postJson, requestWeChatJson } from './wechat-http';
import { wechatUnavailable } from './wechat-auth';

/**
 * The server's WeChat access_token (needed by content check, subscribe messages, …). One cached
 * token per process; WeChat's stable_token answers the same token to every caller in normal mode,
 * so several instances each caching it do not invalidate one another.
 */
export interface AccessTokenProvider {
  /** A token that is valid now (cached, or fetched once for all concurrent callers). */
  getToken(): Promise<string>;
  /**
   * WeChat rejected `staleToken` (errcode 40001/42001): forget it so the next getToken fetches
   * again. Does nothing when the cache already holds a newer token.
   */
  invalidate(staleToken: string): void;
}

export interface StableAccessTokenOptions {
  apiBase: string;
  appId: string;
  secret: string;
  timeoutMs: number;
  clock: Clock;
  logger: Logger;
}

interface StableTokenAnswer {
  access_token?: string;
  expires_in?: number;
  errcode?: number;
  errmsg?: string;
}

interface CachedToken {
  token: string;
  /** Epoch ms from which getToken fetches a new token (5 minutes before expiry). */
  refreshAt: number;
  /** Epoch ms at which WeChat stops accepting the token. */
  expiresAt: number;
}

/** Refresh this long before WeChat's expiry (WeChat itself rotates stable tokens 5 minutes early). */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** After a failed early refresh, keep the still-valid token this long before trying again. */
export const RETRY_AFTER_FAILURE_MS = 30 * 1000;

/** Hints for stable_token errors caused by configuration rather than by WeChat being down. */
const configurationHints: Record<number, string> = {
  40001: 'WECHAT_SECRET is wrong',
  40013: 'WECHAT_APPID is not a valid AppID',
  40125: 'WECHAT_SECRET is wrong',
  40164: "this server's IP address is not on the mini program's IP whitelist",
  41004: 'WECHAT_SECRET is missing',
  89503: "this server's IP address needs an administrator's confirmation",
};

/**
 * `POST {apiBase}/cgi-bin/stable_token` in normal mode (never force_refresh: that mode is limited
 * to 20 calls a day and would invalidate the token other instances hold).
 */
export class StableAccessTokenProvider implements AccessTokenProvider {
  private cached: CachedToken | null = null;
  private inFlight: Promise<string> | null = null;

  constructor(private readonly options: StableAccessTokenOptions) {}

  getToken(): Promise<string> {
    const now = this.options.clock.now().getTime();
    if (this.cached && now < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    if (!this.inFlight) {
      this.inFlight = this.refresh().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  invalidate(staleToken: string): void {
    if (this.cached?.token === staleToken) this.cached = null;
  }

  private async refresh(): Promise<string> {
    const previous = this.cached;
    try {
      return await this.fetchToken();
    } catch (error) {
      // WeChat is down but the token we hold has not expired yet (we refresh 5 minutes early):
      // keep using it rather than failing every request.
      const now = this.options.clock.now().getTime();
      if (previous && this.cached === previous && now < previous.expiresAt) {
        this.options.logger.warn('stable_token refresh failed; using the cached access_token until it expires');
        // Try again in a little while, not on every request.
        this.cached = { ...previous, refreshAt: Math.min(now + RETRY_AFTER_FAILURE_MS, previous.expiresAt) };
        return previous.token;
      }
      throw error;
    }
  }

  private async fetchToken(): Promise<string> {
    const answer = await this.post();
    if (answer.errcode) {
      const hint = configurationHints[answer.errcode];
      this.options.logger.error(
        { errcode: answer.errcode, errmsg: answer.errmsg, hint },
        hint ? `stable_token refused: ${hint}` : 'stable_token refused',
      );
      throw wechatUnavailable();
    }
    const token = answer.access_token;
    const expiresIn = answer.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      this.options.logger.error({ expires_in: expiresIn, hasToken: typeof token === 'string' }, 'stable_token answered without access_token/expires_in');
      throw wechatUnavailable();
    }
    const fetchedAt = this.options.clock.now().getTime();
    const lifetimeMs = expiresIn * 1000;
    // A (never seen) very short lifetime still gets used for half of it rather than not at all.
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
    this.cached = { token, refreshAt: fetchedAt + lifetimeMs - margin, expiresAt: fetchedAt + lifetimeMs };
    return token;
  }

  private async post(): Promise<StableTokenAnswer> {
    const answer = await requestWeChatJson<StableTokenAnswer>(
      `${this.options.apiBase}/cgi-bin/stable_token`,
      postJson({ grant_type: 'client_credential', appid: this.options.appId, secret: this.options.secret }),
      { api: 'stable_token', ...this.options },
    );
    if (!answer) throw wechatUnavailable();
    return answer;
  }
}
