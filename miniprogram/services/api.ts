import { login, getToken } from './auth';
import { ApiError, httpRequest, type HttpMethod } from './http';
import type { Member } from './types';

export { ApiError, NETWORK_ERROR } from './http';

/**
 * An authenticated request. A 401 on a request that carried a stored token means the token expired or was
 * revoked: log in again silently once and retry the request once.
 */
async function request<T>(method: HttpMethod, path: string, body?: object): Promise<T> {
  const token = getToken();
  try {
    return await httpRequest<T>({ method, path, body, token });
  } catch (error) {
    if (!token || !(error instanceof ApiError) || error.status !== 401) throw error;
    const { token: freshToken } = await login();
    return httpRequest<T>({ method, path, body, token: freshToken });
  }
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: object = {}) => request<T>('POST', path, body),

  me: () => api.get<Member>('/me'),
};
