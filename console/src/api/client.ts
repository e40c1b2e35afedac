import createClient, { type Middleware } from 'openapi-fetch';
import { session, signOut } from '../session';
import { ApiError } from './errors';
import type { paths } from './types';

/** Adds the console token; a 401 means the session ended (expired or revoked): back to the login page. */
const auth: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('Authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && session.token) {
      signOut();
      window.dispatchEvent(new CustomEvent('console:signed-out'));
    }
    return response;
  },
};

/** The typed API client: paths, parameters and answers come from the generated OpenAPI types. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError with the server's code (network failures: NETWORK_ERROR). */
export async function ok<D>(request: Promise<Answer<D>>): Promise<D> {
  let answer: Answer<D>;
  try {
    answer = await request;
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : 'network error');
  }
  if (answer.response.ok) return answer.data as D;
  const body = answer.error as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  throw new ApiError(answer.response.status, body?.error?.code ?? `HTTP_${answer.response.status}`, body?.error?.message ?? answer.response.statusText, body?.error?.details);
}

/** Downloads a file the API streams (exports), with the console token, and saves it under its name. */
export async function download(path: string): Promise<string> {
  const response = await fetch(path, { headers: session.token ? { Authorization: `Bearer ${session.token}` } : {} });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(response.status, body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** Sends one file as multipart/form-data in the field `file` (uploads, sheet imports) and answers the JSON. */
export async function postFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', body: form, headers: session.token ? { Authorization: `Bearer ${session.token}` } : {} });
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : 'network error');
  }
  const body = (await response.json().catch(() => null)) as ({ error?: { code?: string; message?: string; details?: unknown } } & T) | null;
  if (!response.ok) {
    if (response.status === 401 && session.token) {
      signOut();
      window.dispatchEvent(new CustomEvent('console:signed-out'));
    }
    throw new ApiError(response.status, body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText, body?.error?.details);
  }
  return body as T;
}
