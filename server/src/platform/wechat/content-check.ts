import type { Logger } from 'pino';
import { AppError } from '../http/errors';
import type { AccessTokenProvider } from './access-token';
import { postJson, requestWeChatJson } from './wechat-http';

/** WeChat's verdict on user text: `review` is held for a person to look at, `risky` is rejected. */
export type ContentVerdict = 'pass' | 'review' | 'risky';

export interface ContentCheckResult {
  verdict: ContentVerdict;
  /** WeChat's label (100 normal, 10001 ads, 20001 politics, 20002 porn, 20003 abuse, …). */
  label?: number;
}

/** Checks user-written text before it is shown to other members (msg_sec_check v2). */
export interface ContentCheck {
  /** `openid` is the author's; WeChat requires that they used the mini program in the last 2 hours. */
  checkText(input: { text: string; openid: string }): Promise<ContentCheckResult>;
}

/** For the route layer: the text was rejected, the author should change it. */
export const contentRejected = () =>
  new AppError(
    400,
    'CONTENT_REJECTED',
    'This text did not pass WeChat content security; please rephrase it and try again.',
  );

export const contentCheckUnavailable = () =>
  new AppError(
    503,
    'CONTENT_CHECK_UNAVAILABLE',
    "WeChat's content check did not answer, so the text could not be published; try again in a moment.",
  );

/** Throws CONTENT_REJECTED for a risky verdict; returns the verdict otherwise (`review` is the caller's to hold). */
export function rejectRiskyText(verdict: ContentVerdict): Exclude<ContentVerdict, 'risky'> {
  if (verdict === 'risky') throw contentRejected();
  return verdict;
}

const severity: Record<ContentVerdict, number> = { pass: 0, review: 1, risky: 2 };

function worst(results: ContentCheckResult[]): ContentCheckResult {
  if (results.length === 0) return { verdict: 'pass' };
  return results.reduce((a, b) => (severity[b.verdict] > severity[a.verdict] ? b : a));
}

/**
 * Offline content check for fake mode and tests: a case-insensitive substring match on word lists
 * (`CONTENT_RISKY_WORDS`, `CONTENT_REVIEW_WORDS`); a risky word wins over a review word.
 */
export class FakeContentCheck implements ContentCheck {
  private readonly riskyWords: string[];
  private readonly reviewWords: string[];

  constructor(words: { riskyWords: string[]; reviewWords: string[] }) {
    const normalise = (list: string[]) => list.map((word) => word.trim().toLowerCase()).filter((word) => word !== '');
    this.riskyWords = normalise(words.riskyWords);
    this.reviewWords = normalise(words.reviewWords);
  }

  async checkText(input: { text: string; openid: string }): Promise<ContentCheckResult> {
    const text = input.text.toLowerCase();
    if (this.riskyWords.some((word) => text.includes(word))) return { verdict: 'risky', label: 21000 };
    if (this.reviewWords.some((word) => text.includes(word))) return { verdict: 'review', label: 21000 };
    return { verdict: 'pass', label: 100 };
  }
}

export interface HttpContentCheckOptions {
  apiBase: string;
  timeoutMs: number;
  tokens: AccessTokenProvider;
  logger: Logger;
}

interface MsgSecCheckAnswer {
  errcode?: number;
  errmsg?: string;
  result?: { suggest?: string; label?: number };
  trace_id?: string;
}

/** access_token errors: invalid (40001), expired (42001), not a token (40014). */
const staleTokenCodes = new Set([40001, 40014, 42001]);

/** msg_sec_check accepts at most 2500 characters per call. */
export const MAX_CHARS_PER_CHECK = 2500;

/** `POST {apiBase}/wxa/msg_sec_check?access_token=…` (version 2, scene 2 = comment/post). */
export class HttpContentCheck implements ContentCheck {
  constructor(private readonly options: HttpContentCheckOptions) {}

  async checkText(input: { text: string; openid: string }): Promise<ContentCheckResult> {
    const chunks = splitForCheck(input.text);
    const results: ContentCheckResult[] = [];
    for (const chunk of chunks) {
      const result = await this.checkChunk(chunk, input.openid);
      if (result.verdict === 'risky') return result;
      results.push(result);
    }
    return worst(results);
  }

  private async checkChunk(content: string, openid: string): Promise<ContentCheckResult> {
    const token = await this.tokenOrUnavailable();
    let answer = await this.post(token, content, openid);
    if (answer.errcode !== undefined && staleTokenCodes.has(answer.errcode)) {
      this.options.logger.info({ errcode: answer.errcode }, 'msg_sec_check: access_token rejected; fetching a fresh one and retrying once');
      this.options.tokens.invalidate(token);
      const fresh = await this.tokenOrUnavailable();
      answer = await this.post(fresh, content, openid);
    }
    return this.verdictOf(answer);
  }

  private async tokenOrUnavailable(): Promise<string> {
    try {
      return await this.options.tokens.getToken();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'msg_sec_check: no access_token');
      throw contentCheckUnavailable();
    }
  }

  private verdictOf(answer: MsgSecCheckAnswer): ContentCheckResult {
    // 87014: the v1 answer for risky content, still sent by WeChat in some cases.
    if (answer.errcode === 87014) return { verdict: 'risky' };
    if (answer.errcode !== 0 && answer.errcode !== undefined) {
      this.options.logger.error({ errcode: answer.errcode, errmsg: answer.errmsg }, 'msg_sec_check refused the request');
      throw contentCheckUnavailable();
    }
    const suggest = answer.result?.suggest;
    if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') {
      this.options.logger.error({ result: answer.result, trace_id: answer.trace_id }, 'msg_sec_check answered without a known suggest');
      throw contentCheckUnavailable();
    }
    const label = answer.result?.label;
    return typeof label === 'number' ? { verdict: suggest, label } : { verdict: suggest };
  }

  private async post(token: string, content: string, openid: string): Promise<MsgSecCheckAnswer> {
    const url = new URL(`${this.options.apiBase}/wxa/msg_sec_check`);
    url.searchParams.set('access_token', token);
    const answer = await requestWeChatJson<MsgSecCheckAnswer>(url, postJson({ version: 2, openid, scene: 2, content }), {
      api: 'msg_sec_check',
      ...this.options,
    });
    if (!answer) throw contentCheckUnavailable();
    return answer;
  }
}

/** Whitespace-only text needs no check; longer text is checked in pieces WeChat accepts. */
function splitForCheck(text: string): string[] {
  if (text.trim() === '') return [];
  const characters = Array.from(text); // code points, so a surrogate pair is never split
  const chunks: string[] = [];
  for (let start = 0; start < characters.length; start += MAX_CHARS_PER_CHECK) {
    chunks.push(characters.slice(start, start + MAX_CHARS_PER_CHECK).join(''));
  }
  return chunks;
}
