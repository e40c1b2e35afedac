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
  uploadImage(person: Person, png: Buffer): Promise<string> {
    return this.upload(person, 'images', png, 'photo.png', 'image/png');
  }

  /** A recording for a voice check-in, as the Mini Program's recorder makes it (MP3). */
  uploadAudio(person: Person, mp3: Buffer): Promise<string> {
    return this.upload(person, 'audio', mp3, 'speech.mp3', 'audio/mpeg');
  }

  private async upload(person: Person, kind: 'images' | 'audio', bytes: Buffer, name: string, type: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    const response = await fetch(`${this.base}/api/v1/uploads/${kind}`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${person.token}` } });
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
