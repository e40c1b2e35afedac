import { config } from '../config';
import type { ErrorBody } from './api-types';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export const NETWORK_ERROR = 'NETWORK_ERROR';
const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';

/** The server that also serves uploads (`/uploads/...`): the API base without its `/api/v1` path. */
export function serverOrigin(): string {
  return config.apiBaseUrl.replace(/\/api\/v\d+\/?$/, '');
}

/** Uploaded files come back as server-relative paths; images and audio players need a full URL. */
export function mediaUrl(url: string | null | undefined): string {
  if (!url) return '';
  return /^https?:\/\//.test(url) ? url : serverOrigin() + url;
}

/** Every failed API call rejects with this: the server's error code and message, or NETWORK_ERROR (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  body?: object;
  token?: string;
}

function isErrorBody(data: unknown): data is ErrorBody {
  const error = (data as ErrorBody | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

export function toApiError(status: number, data: unknown): ApiError {
  if (isErrorBody(data)) {
    return new ApiError(status, data.error.code, data.error.message, data.error.details);
  }
  return new ApiError(status, `HTTP_${status}`, `服务暂时不可用（${status}），请稍后重试`);
}

/** One JSON request over wx.request; no retries, no login handling (see api.ts). */
export function httpRequest<T>({ method, path, body, token }: HttpRequest): Promise<T> {
  const header: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;

  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: config.apiBaseUrl + path,
      method,
      data: body,
      header,
      timeout: config.requestTimeoutMs,
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data as T);
        else reject(toApiError(res.statusCode, res.data));
      },
      fail: () => reject(new ApiError(0, NETWORK_ERROR, NETWORK_MESSAGE)),
    });
  });
}
