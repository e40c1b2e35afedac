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

export interface ReceivedUpload {
  path: string;
  filePath: string;
  name: string;
  authorization: string | undefined;
  /** Text fields sent with the file (wx.uploadFile's formData). */
  formData?: Record<string, unknown>;
}

/** One upload answer: a reply (its body is sent as a JSON string, as wx.uploadFile gives it) or NETWORK_DOWN. */
type UploadRoute = (upload: ReceivedUpload) => Answer | Promise<Answer>;

/**
 * Replaces wx.uploadFile with a server for `"POST /uploads/images"`-style routes. It checks what the server
 * needs (the multipart field `file`, a token) and reports progress 50 % then 100 % through the task's
 * onProgressUpdate before answering.
 */
export function fakeUploads(routes: Record<string, UploadRoute>) {
  const uploads: ReceivedUpload[] = [];

  const uploadFile = jest.fn((options: WechatMiniprogram.UploadFileOption) => {
    const path = options.url.startsWith(config.apiBaseUrl) ? options.url.slice(config.apiBaseUrl.length) : options.url;
    const header = (options.header ?? {}) as Record<string, string>;
    const received: ReceivedUpload = { path, filePath: options.filePath, name: options.name, authorization: header.Authorization };
    if (options.formData) received.formData = options.formData as Record<string, unknown>;
    uploads.push(received);
    const listeners: Array<(res: { progress: number }) => void> = [];

    const route = routes[`POST ${path}`];
    const answer: Promise<Answer> =
      options.name !== 'file'
        ? Promise.resolve(apiError(400, 'VALIDATION_FAILED', `the file must be in the field "file", not "${options.name}"`))
        : route
          ? Promise.resolve(route(received))
          : Promise.resolve(apiError(404, 'NOT_FOUND', `no upload route ${path}`));

    void answer.then(async (reply) => {
      await Promise.resolve();
      listeners.forEach((listener) => listener({ progress: 50 }));
      if (reply === NETWORK_DOWN) {
        options.fail?.({ errMsg: 'uploadFile:fail timeout' } as never);
        return;
      }
      listeners.forEach((listener) => listener({ progress: 100 }));
      options.success?.({ statusCode: reply.status, data: JSON.stringify(reply.body), errMsg: 'uploadFile:ok' } as never);
    });
    return {
      abort: jest.fn(),
      onProgressUpdate: (listener: (res: { progress: number }) => void) => listeners.push(listener),
    } as unknown as WechatMiniprogram.UploadTask;
  });

  Object.assign(wx, { uploadFile });
  return { uploads, uploadFile };
}
