import type { Logger } from 'pino';
import QRCode from 'qrcode';
import { AppError } from '../http/errors';
import type { AccessTokenProvider } from './access-token';
import { wechatUnavailable } from './wechat-auth';
import { postJson, requestWeChatFileOrJson } from './wechat-http';

/**
 * Mini Program codes (小程序码) from `wxacode.getUnlimited`: a code that opens `page` with `scene`
 * in its query. The scene is all a code can carry, so it must be short: at most 32 visible
 * characters of digits, letters and `!#$&'()*+,/:;=?@-._~`.
 */
export interface WxaCodeRequest {
  scene: string;
  /** A page of the Mini Program without a leading slash or query, e.g. `pages/cohort/index`. */
  page: string;
  /** Pixels, 280-1280 (WeChat's default 430). */
  width?: number;
}

export interface WxaCodeImage {
  bytes: Buffer;
  contentType: 'image/png' | 'image/jpeg';
}

export interface WxaCodeClient {
  /** The code's image; AppError with a clear code when WeChat refuses or does not answer. */
  unlimited(request: WxaCodeRequest): Promise<WxaCodeImage>;
}

/** Which version of the Mini Program a code opens; `check_path` is on only for the released one. */
export type WxaCodeEnv = 'release' | 'trial' | 'develop';

export const MAX_SCENE_LENGTH = 32;
const scenePattern = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/** Whether WeChat accepts this as a code's scene. */
export const isValidScene = (scene: string): boolean => scenePattern.test(scene);

export const DEFAULT_CODE_WIDTH = 430;

function assertRequest(request: WxaCodeRequest): void {
  // Scenes and pages are built by the server, never typed by a client: a bad one is a bug.
  if (!isValidScene(request.scene)) throw new Error(`wxacode: invalid scene ${JSON.stringify(request.scene)}`);
  if (!/^[a-z0-9_/-]+$/i.test(request.page) || request.page.startsWith('/')) throw new Error(`wxacode: invalid page ${JSON.stringify(request.page)}`);
}

/** WeChat counts its limit on codes per minute (errcode 45009). */
const WXACODE_RETRY_AFTER_SECONDS = 60;

export function wxaCodeRateLimited(): AppError {
  const error = new AppError(429, 'WXACODE_RATE_LIMITED', "WeChat's limit on Mini Program codes is reached for the moment; try again in a minute.");
  error.retryAfterSeconds = WXACODE_RETRY_AFTER_SECONDS;
  return error;
}

export const wxaCodePageInvalid = (page: string) =>
  new AppError(
    502,
    'WXACODE_PAGE_INVALID',
    `WeChat refused to make a code for ${page}: that page is not in the released Mini Program yet (publish it, or set WECHAT_WXACODE_ENV to trial or develop while testing).`,
    { page },
  );

export const wxaCodeRefused = (errcode: number) =>
  new AppError(502, 'WXACODE_REFUSED', `WeChat refused to make the Mini Program code (errcode ${errcode}); try again later.`, { errcode });

/** PNG or JPEG by their first bytes; anything else is not an image WeChat would send. */
function imageTypeOf(bytes: Buffer): WxaCodeImage['contentType'] | null {
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * Offline codes for fake mode and tests: a real, scannable QR code (not WeChat's round 小程序码)
 * holding the page and the scene, so a poster can be drawn and checked without WeChat.
 */
export class FakeWxaCodeClient implements WxaCodeClient {
  readonly made: WxaCodeRequest[] = [];

  constructor(private readonly envVersion: WxaCodeEnv = 'develop') {}

  async unlimited(request: WxaCodeRequest): Promise<WxaCodeImage> {
    assertRequest(request);
    this.made.push(request);
    const text = `fake-wxacode:${request.page}?scene=${request.scene}&env_version=${this.envVersion}`;
    const bytes = await QRCode.toBuffer(text, { type: 'png', width: request.width ?? DEFAULT_CODE_WIDTH, margin: 2, errorCorrectionLevel: 'M' });
    return { bytes, contentType: 'image/png' };
  }
}

export interface HttpWxaCodeOptions {
  apiBase: string;
  timeoutMs: number;
  tokens: AccessTokenProvider;
  logger: Logger;
  envVersion: WxaCodeEnv;
}

interface WxaCodeError {
  errcode?: number;
  errmsg?: string;
}

/** access_token errors: invalid (40001), expired (42001), not a token (40014). */
const staleTokenCodes = new Set([40001, 40014, 42001]);

/** `POST {apiBase}/wxa/getwxacodeunlimit?access_token=…`: the image on success, a JSON error otherwise. */
export class HttpWxaCodeClient implements WxaCodeClient {
  constructor(private readonly options: HttpWxaCodeOptions) {}

  async unlimited(request: WxaCodeRequest): Promise<WxaCodeImage> {
    assertRequest(request);
    const body = JSON.stringify({
      scene: request.scene,
      page: request.page,
      width: request.width ?? DEFAULT_CODE_WIDTH,
      // Only the released version can be checked; trial and develop codes name pages WeChat has not published.
      check_path: this.options.envVersion === 'release',
      env_version: this.options.envVersion,
    });
    const token = await this.token();
    let answer = await this.post(token, body, request);
    if (answer.kind === 'json' && answer.body.errcode !== undefined && staleTokenCodes.has(answer.body.errcode)) {
      this.options.logger.info({ errcode: answer.body.errcode }, 'getwxacodeunlimit: access_token rejected; fetching a fresh one and retrying once');
      this.options.tokens.invalidate(token);
      answer = await this.post(await this.token(), body, request);
    }
    if (answer.kind === 'binary') {
      const contentType = imageTypeOf(answer.bytes);
      if (contentType) return { bytes: answer.bytes, contentType };
      this.options.logger.error({ contentType: answer.contentType, bytes: answer.bytes.length }, 'getwxacodeunlimit answered an image that is neither PNG nor JPEG');
      throw wechatUnavailable();
    }
    throw this.errorFor(answer.body, request);
  }

  private errorFor(answer: WxaCodeError, request: WxaCodeRequest): AppError {
    const errcode = answer.errcode ?? 0;
    const log = { errcode, errmsg: answer.errmsg, page: request.page, scene: request.scene };
    switch (errcode) {
      case 45009:
        this.options.logger.warn(log, 'getwxacodeunlimit: rate limit reached');
        return wxaCodeRateLimited();
      case 41030:
        this.options.logger.error(log, 'getwxacodeunlimit: the page is not in the released Mini Program');
        return wxaCodePageInvalid(request.page);
      case -1:
        this.options.logger.warn(log, 'getwxacodeunlimit: WeChat busy');
        return wechatUnavailable();
      default:
        this.options.logger.error(log, 'getwxacodeunlimit refused the request');
        return wxaCodeRefused(errcode);
    }
  }

  private async token(): Promise<string> {
    try {
      return await this.options.tokens.getToken();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'getwxacodeunlimit: no access_token');
      throw wechatUnavailable();
    }
  }

  private async post(token: string, body: string, request: WxaCodeRequest) {
    const url = new URL(`${this.options.apiBase}/wxa/getwxacodeunlimit`);
    url.searchParams.set('access_token', token);
    const answer = await requestWeChatFileOrJson<WxaCodeError>(url, postJson(body), {
      api: 'getwxacodeunlimit',
      ...this.options,
      context: { page: request.page, scene: request.scene },
    });
    if (!answer) throw wechatUnavailable();
    return answer;
  }
}
