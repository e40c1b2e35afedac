import type { Logger } from 'pino';

export interface WeChatCall {
  /** What the log lines call this API, e.g. `jscode2session`. */
  api: string;
  timeoutMs: number;
  logger: Logger;
  /** Extra fields for the log lines (never secrets). */
  context?: Record<string, unknown>;
}

/**
 * One request to a WeChat HTTP API that answers JSON objects. A network failure, a timeout, an
 * HTTP error status or an answer that is not a JSON object is logged and comes back as null:
 * each caller decides what that means for its own users (a 503 with its own code, or a failed send).
 */
export async function requestWeChatJson<T extends object>(url: URL | string, init: RequestInit, call: WeChatCall): Promise<T | null> {
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
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as T;
  } catch {
    // reported below
  }
  call.logger.warn(call.context ?? {}, `${call.api} answered with something that is not a JSON object`);
  return null;
}

/** A JSON POST body for requestWeChatJson. */
export const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
