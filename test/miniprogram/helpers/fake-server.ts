import { config } from '../../../miniprogram/config';

export interface ReceivedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export interface Reply {
  status: number;
  body: unknown;
}

/** A route answers with a reply, NETWORK_DOWN, or a promise of either (to hold a request open). */
export const NETWORK_DOWN = Symbol('network down');
type Answer = Reply | typeof NETWORK_DOWN;
type Route = (request: ReceivedRequest) => Answer | Promise<Answer>;

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const apiError = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

/**
 * Replaces wx.request with a server that answers only the given `"METHOD /path"` routes (paths relative to
 * config.apiBaseUrl); any other URL or method gets a 404, so a wrong request fails the test visibly.
 * Every request is recorded, in order, in `requests`.
 */
export function fakeServer(routes: Record<string, Route>) {
  const requests: ReceivedRequest[] = [];

  const request = jest.fn((options: WechatMiniprogram.RequestOption) => {
    const path = options.url.startsWith(config.apiBaseUrl) ? options.url.slice(config.apiBaseUrl.length) : options.url;
    const header = (options.header ?? {}) as Record<string, string>;
    const received: ReceivedRequest = {
      method: options.method ?? 'GET',
      path,
      body: options.data,
      authorization: header.Authorization,
    };
    requests.push(received);
    const route = routes[`${received.method} ${path}`];
    const answer = route ? route(received) : apiError(404, 'NOT_FOUND', `no route ${received.method} ${options.url}`);

    void Promise.resolve(answer).then((reply) => {
      if (reply === NETWORK_DOWN) options.fail?.({ errMsg: 'request:fail timeout', errno: 5 } as never);
      else options.success?.({ statusCode: reply.status, data: reply.body, header: {}, cookies: [] } as never);
    });
    return { abort: jest.fn() } as unknown as WechatMiniprogram.RequestTask;
  });

  Object.assign(wx, { request });
  return { requests, request };
}

/** A promise resolved from outside, to hold a fake response until the test has looked at the loading state. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
