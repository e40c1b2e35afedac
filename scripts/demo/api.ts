/** A tiny JSON client for the demo: every answer that is not the expected one stops the demo. */

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class UnexpectedAnswer extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
    readonly expected: string,
  ) {
    super(`${method} ${path} answered ${status} (expected ${expected}):\n${body}`);
    this.name = 'UnexpectedAnswer';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Answer {
  status: number;
  text: string;
  json: unknown;
}

export class Api {
  calls = 0;

  constructor(readonly baseUrl: string) {}

  private async send(method: Method, path: string, token?: string, body?: unknown): Promise<Answer> {
    this.calls++;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const answer = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await answer.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: answer.status, text, json };
  }

  /** A call that must succeed (any 2xx); answers the parsed body. */
  async ok<T>(method: Method, path: string, token?: string, body?: unknown): Promise<T> {
    const answer = await this.send(method, path, token, body);
    if (answer.status < 200 || answer.status > 299) throw new UnexpectedAnswer(method, path, answer.status, answer.text, '2xx');
    return answer.json as T;
  }

  /** A call that must fail with exactly this status and error code (expected behaviour the demo shows). */
  async fails(method: Method, path: string, token: string | undefined, body: unknown, status: number, code: string): Promise<ErrorBody> {
    const answer = await this.send(method, path, token, body);
    const error = answer.json as ErrorBody | null;
    if (answer.status !== status || error?.error?.code !== code) {
      throw new UnexpectedAnswer(method, path, answer.status, answer.text, `${status} ${code}`);
    }
    return error;
  }
}

export interface MemberDto {
  id: number;
  nickname: string;
  roles: string[];
}

/** A logged-in user: their token and the calls they make. */
export class Session {
  constructor(
    readonly api: Api,
    readonly openid: string,
    readonly token: string,
    readonly member: MemberDto,
  ) {}

  static async login(api: Api, openid: string): Promise<Session> {
    const answer = await api.ok<{ token: string; member: MemberDto }>('POST', '/api/v1/auth/wechat-login', undefined, { code: `fake:${openid}` });
    return new Session(api, openid, answer.token, answer.member);
  }

  get id(): number {
    return this.member.id;
  }

  get<T>(path: string): Promise<T> {
    return this.api.ok<T>('GET', `/api/v1${path}`, this.token);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.api.ok<T>('POST', `/api/v1${path}`, this.token, body);
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.api.ok<T>('PUT', `/api/v1${path}`, this.token, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.api.ok<T>('DELETE', `/api/v1${path}`, this.token);
  }

  /** A POST the server must refuse with `status` and `code`. */
  postFails(path: string, body: unknown, status: number, code: string): Promise<ErrorBody> {
    return this.api.fails('POST', `/api/v1${path}`, this.token, body, status, code);
  }
}
