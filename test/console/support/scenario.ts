import { call, expectOk } from '../../resilience/support/server-process';

/** The same HTTP calls the Mini Program makes, against the server under test. */
export class Api {
  constructor(readonly base: string) {}

  /** Sets the server's clock (the server runs with ALLOW_TEST_CLOCK=1). */
  async at(instant: string): Promise<void> {
    await expectOk(call(this.base, 'POST', '/api/v1/dev/clock', { now: instant }));
  }

  async login(openid: string, nickname?: string): Promise<Person> {
    const answer = await expectOk(call(this.base, 'POST', '/api/v1/auth/wechat-login', { code: `fake:${openid}` }));
    const person = new Person(this, answer.token, answer.member.id);
    if (nickname) await person.ok('PUT', '/api/v1/me', { nickname });
    return person;
  }

  /** A PNG for a check-in photo, drawn by the browser (the upload route checks real image bytes). */
  async uploadImage(person: Person, png: Buffer): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'photo.png');
    const response = await fetch(`${this.base}/api/v1/uploads/images`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${person.token}` } });
    if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { url: string }).url;
  }
}

export class Person {
  constructor(
    private readonly api: Api,
    readonly token: string,
    readonly id: number,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ok(method: string, route: string, body?: unknown, status = method === 'POST' ? undefined : 200): Promise<any> {
    const answer = call(this.api.base, method, route, body, this.token);
    if (status !== undefined) return expectOk(answer, status);
    return answer.then((resolved) => {
      if (resolved.status !== 200 && resolved.status !== 201 && resolved.status !== 204) {
        throw new Error(`${method} ${route}: ${resolved.status} ${JSON.stringify(resolved.body)}`);
      }
      return resolved.body;
    });
  }
}
