import type { Logger } from 'pino';

export interface WeChatCall {
  /** What the log lines call this API, e.g. `jscode2session`. */
  api: string;
  timeoutMs: number;
  logger: Logger;
  /** Extra fields for the log lines (never secrets). */
  context?: Record<string, unknown>;
}

/** What an API that answers either a file or a JSON error (wxacode) sent back. */
export type WeChatAnswer<T extends object> =
  | { kind: 'json'; body: T }
  | { kind: 'binary'; bytes: Buffer; contentType: string };

/** The response, or null after logging a network failure, a timeout or an HTTP error status. */
async function send(url: URL | string, init: RequestInit, call: WeChatCall): Promise<Response | null> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(call.timeoutMs) });
  } catch (error) {
    call.logger.warn({ ...call.context, err: error }, `${call.api} request failed or timed out`);
    return null;
  }
  if (!response.ok) {
    call.logger.warn({ ...call.context, status: response.status }, `${call.api} answered with an HTTP error`);
    return null;
  }
  return response;
}

function jsonObjectOf<T extends object>(text: string): T | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as T;
  } catch {
    // not JSON
  }
  return null;
}

/**
 * One request to a WeChat HTTP API that answers JSON objects. A network failure, a timeout, an
 * HTTP error status or an answer that is not a JSON object is logged and comes back as null:
 * each caller decides what that means for its own users (a 503 with its own code, or a failed send).
 */
export async function requestWeChatJson<T extends object>(url: URL | string, init: RequestInit, call: WeChatCall): Promise<T | null> {
  const response = await send(url, init, call);
  if (!response) return null;
  const body = await response.text().then(jsonObjectOf<T>, () => null);
  if (body) return body;
  call.logger.warn(call.context ?? {}, `${call.api} answered with something that is not a JSON object`);
  return null;
}

/**
 * One request to a WeChat API that answers a file on success and a JSON object on failure
 * (wxacode.getUnlimited): told apart by the answer's content type, `image/*` being the file. An
 * answer that is neither (or a failure as in requestWeChatJson) is logged and comes back as null.
 */
export async function requestWeChatFileOrJson<T extends object>(url: URL | string, init: RequestInit, call: WeChatCall): Promise<WeChatAnswer<T> | null> {
  const response = await send(url, init, call);
  if (!response) return null;
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    call.logger.warn({ ...call.context, err: error }, `${call.api} answer could not be read`);
    return null;
  }
  if (contentType.startsWith('image/')) return { kind: 'binary', bytes, contentType };
  const body = jsonObjectOf<T>(bytes.toString('utf8'));
  if (body) return { kind: 'json', body };
  call.logger.warn({ ...call.context, contentType }, `${call.api} answered with neither an image nor a JSON object`);
  return null;
}

/** A JSON POST body for requestWeChatJson. */
export const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
