import { createScheduler } from '../../../server/src/modules';
import { Upload } from '../../../server/src/modules/upload/upload.entity';
import { at, createCohort, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { MemoryStorage } from '../support/memory-storage';
import { loginAs, startTestApp, tinyPng, uploadImage, type LoggedIn, type TestApp } from '../support/test-app';
import { makeMp3 } from './audio-fixtures';

/**
 * Uploads belong to their uploader: check-ins, avatars, reviews, products and covers take only the
 * caller's own uploads; files nothing refers to go after a day; a member has a daily quota and a
 * few uploads in progress at once; the server holds only a few files in memory at once.
 */

/** An image of about `kilobytes` KB (a PNG signature and zeros: the type comes from the bytes). */
const pngOf = (kilobytes: number) => Buffer.concat([tinyPng.subarray(0, 8), Buffer.alloc(kilobytes * 1024)]);

async function uploadAudio(t: TestApp, who: LoggedIn, seconds: number): Promise<string> {
  const answer = await t.http.post('/api/v1/uploads/audio').set(who.auth).attach('file', makeMp3(seconds), 'note.mp3').expect(201);
  return answer.body.url;
}

describe('using uploads', () => {
  let t: TestApp;
  let operator: LoggedIn;
  let otherOperator: LoggedIn;
  let cohortId: number;
  let ann: LoggedIn;
  let bob: LoggedIn;
  beforeAll(async () => {
    t = await startTestApp({ env: { OPERATOR_OPENIDS: 'root-operator,second-operator' } });
    operator = await operatorOf(t);
    otherOperator = await loginAs(t, 'second-operator');
    await at(t, '2026-03-01T10:00:00+08:00');
    cohortId = (await createCohort(t, operator, { startDate: '2026-03-02' })).id;
    ann = await joinAs(t, 'ann', cohortId);
    bob = await joinAs(t, 'bob', cohortId);
    await at(t, '2026-03-02T09:00:00+08:00');
  });
  afterAll(() => t.close());

  it('refuses a check-in with another member\'s photo or one never uploaded, naming the field', async () => {
    const annPhoto = await uploadImage(t, ann);
    const never = '/uploads/img/2026/03/0123456789abcdef0123456789abcdef.jpg';
    for (const imageUrls of [[annPhoto], [await uploadImage(t, bob), never]]) {
      const answer = await t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(bob.auth).send({ text: '我的作业', imageUrls }).expect(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: `body.imageUrls.${imageUrls.length - 1}`, message: 'not an image you uploaded' }] });
    }
    const own = await t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(ann.auth).send({ text: '我的作业', imageUrls: [annPhoto] }).expect(201);
    expect(own.body.checkin.imageUrls).toEqual([annPhoto]);
  });

  it('takes only an avatar the member uploaded', async () => {
    const annPhoto = await uploadImage(t, ann);
    const taken = await t.http.put('/api/v1/me').set(bob.auth).send({ avatarUrl: annPhoto }).expect(400);
    expect(taken.body.error.details).toEqual([{ path: 'body.avatarUrl', message: 'not an image you uploaded' }]);
    const bobPhoto = await uploadImage(t, bob);
    await t.http.put('/api/v1/me').set(bob.auth).send({ avatarUrl: bobPhoto }).expect(200);
    // Sending the profile back unchanged is fine.
    await t.http.put('/api/v1/me').set(bob.auth).send({ avatarUrl: bobPhoto, nickname: '鲍勃' }).expect(200);
  });

  it('lets teachers attach only their own voice notes, with the duration the server measured', async () => {
    const msWang = await teacherOf(t, operator, 'ms-wang');
    const mrLi = await teacherOf(t, operator, 'mr-li');
    await at(t, '2026-03-01T10:00:00+08:00');
    const english = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [msWang.memberId, mrLi.memberId] });
    const carl = await joinAs(t, 'carl', english.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    const checkin = (await t.http.post(`/api/v1/cohorts/${english.id}/checkins`).set(carl.auth).send({ text: 'Hello' }).expect(201)).body.checkin.id;
    const liNote = await uploadAudio(t, mrLi, 3);
    const stolen = await t.http.post(`/api/v1/checkins/${checkin}/reviews`).set(msWang.auth).send({ text: '很好', audioUrl: liNote }).expect(400);
    expect(stolen.body.error.details).toEqual([{ path: 'body.audioUrl', message: 'not a voice note you uploaded' }]);
    const ownNote = await uploadAudio(t, msWang, 3);
    const review = await t.http.post(`/api/v1/checkins/${checkin}/reviews`).set(msWang.auth).send({ text: '很好', audioUrl: ownNote, audioSeconds: 60 }).expect(201);
    expect(review.body).toMatchObject({ audioUrl: ownNote, audioSeconds: 3 });
  });

  it('lets operators use their own images for products and covers, and keep what a product already shows', async () => {
    const mine = await uploadImage(t, operator);
    const created = await t.http.post('/api/v1/mall/products').set(operator.auth)
      .send({ name: '笔记本', pointsPrice: 100, stock: 3, kind: 'physical', imageUrls: [mine] }).expect(201);
    const taken = await t.http.post('/api/v1/mall/products').set(otherOperator.auth)
      .send({ name: '复制品', pointsPrice: 100, stock: 3, kind: 'physical', imageUrls: [mine] }).expect(400);
    expect(taken.body.error.details).toEqual([{ path: 'body.imageUrls.0', message: 'not an image you uploaded' }]);
    const theirs = await uploadImage(t, otherOperator);
    const edited = await t.http.put(`/api/v1/mall/products/${created.body.id}`).set(otherOperator.auth).send({ imageUrls: [mine, theirs] }).expect(200);
    expect(edited.body.imageUrls).toEqual([mine, theirs]);
    const memberPhoto = await uploadImage(t, ann);
    const cover = await t.http.post('/api/v1/cohorts').set(operator.auth)
      .send({ title: '绘画 7 天', theme: 'painting', durationDays: 7, startDate: '2026-03-10', coverImageUrl: memberPhoto }).expect(400);
    expect(cover.body.error.details).toEqual([{ path: 'body.coverImageUrl', message: 'not an image you uploaded' }]);
  });
});

describe('cleaning up uploads nothing refers to', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('deletes them a day after upload, once, however many instances run the job', async () => {
    const operator = await operatorOf(t);
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
    const dan = await joinAs(t, 'dan', cohort.id);
    await at(t, '2026-03-02T08:00:00+08:00');
    const [posted, abandoned, firstAvatar, secondAvatar] = [await uploadImage(t, dan), await uploadImage(t, dan), await uploadImage(t, dan), await uploadImage(t, dan)];
    await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(dan.auth).send({ text: '第一天', imageUrls: [posted] }).expect(201);
    await t.http.put('/api/v1/me').set(dan.auth).send({ avatarUrl: firstAvatar }).expect(200);
    await t.http.put('/api/v1/me').set(dan.auth).send({ avatarUrl: secondAvatar }).expect(200);
    // A cover the original cohort drops stays while its clone shows it.
    const cover = await uploadImage(t, operator);
    const original = await createCohort(t, operator, { startDate: '2026-03-10', coverImageUrl: cover });
    await t.http.post(`/api/v1/cohorts/${original.id}/clone`).set(operator.auth).send({ startDate: '2026-03-20' }).expect(201);
    await t.http.put(`/api/v1/cohorts/${original.id}`).set(operator.auth).send({ coverImageUrl: null }).expect(200);

    const schedulers = ['instance-a', 'instance-b'].map((id) => createScheduler(t.deps, t.modules, id));
    const urls = [posted, abandoned, firstAvatar, secondAvatar, cover];
    const served = async () => Promise.all(urls.map(async (url) => (await t.http.get(url)).status));

    await at(t, '2026-03-03T07:30:00+08:00'); // 23.5 hours later: too early
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(await served()).toEqual([200, 200, 200, 200, 200]);

    await at(t, '2026-03-03T09:00:00+08:00');
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(await served()).toEqual([200, 404, 404, 200, 200]);
    expect(await t.db.dataSource.manager.countBy(Upload, {})).toBe(3);
    const runs = await t.db.dataSource.query("SELECT period_key AS period FROM job_run WHERE job_name = 'upload-cleanup'");
    expect(runs.map((r: { period: string }) => r.period).sort()).toEqual(['2026-03-02T23', '2026-03-03T01']);

    // A deleted upload cannot be used any more.
    await at(t, '2026-03-03T10:00:00+08:00');
    const late = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(dan.auth).send({ text: '第二天', imageUrls: [abandoned] }).expect(400);
    expect(late.body.error.details[0]).toMatchObject({ path: 'body.imageUrls.0' });
  });
});

describe('a member\'s daily upload quota', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { UPLOAD_DAILY_MB_PER_MEMBER: '1' } });
    await at(t, '2026-03-02T08:00:00+08:00');
  });
  afterAll(() => t.close());

  it('refuses what would go past it with 429 RATE_LIMITED until a day after the first upload', async () => {
    const eve = await loginAs(t, 'eve');
    await uploadImage(t, eve, pngOf(600));
    const refused = await t.http.post('/api/v1/uploads/images').set(eve.auth).attach('file', pngOf(600), 'big.png').expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBe(24 * 3600);
    await uploadImage(t, eve, pngOf(100)); // still fits
    await uploadImage(t, await loginAs(t, 'frank'), pngOf(600)); // another member's quota
    await at(t, '2026-03-03T08:00:01+08:00');
    await uploadImage(t, eve, pngOf(600));
  });
});

/** Storage whose writes wait until the test opens the gate; it counts writes in progress. */
class GatedStorage extends MemoryStorage {
  active = 0;
  maxActive = 0;
  private open = false;
  private waiting: Array<() => void> = [];

  override async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    if (!this.open) await new Promise<void>((resolve) => this.waiting.push(resolve));
    await super.put(key, bytes, contentType);
    this.active--;
  }

  release(): void {
    this.open = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('timed out waiting');
}

describe('uploads in progress', () => {
  it('allows a member 3 at once: the 4th is refused at once with 429 RATE_LIMITED', async () => {
    const storage = new GatedStorage();
    const t = await startTestApp({ storage });
    try {
      const gina = await loginAs(t, 'gina');
      const pending = [1, 2, 3].map(() => t.http.post('/api/v1/uploads/images').set(gina.auth).attach('file', tinyPng, 'a.png').then((a) => a.status));
      await until(() => storage.active === 3);
      const fourth = await t.http.post('/api/v1/uploads/images').set(gina.auth).attach('file', tinyPng, 'a.png').expect(429);
      expect(fourth.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('3 uploads in progress') });
      storage.release();
      expect(await Promise.all(pending)).toEqual([201, 201, 201]);
      await uploadImage(t, gina);
    } finally {
      await t.close();
    }
  });

  it('holds at most UPLOAD_MAX_BUFFERED files in memory: 12 parallel uploads wait their turn on disk', async () => {
    const storage = new GatedStorage();
    const t = await startTestApp({ storage, env: { UPLOAD_MAX_BUFFERED: '2' } });
    try {
      const members = await Promise.all(Array.from({ length: 12 }, (_, i) => loginAs(t, `parallel-${i}`)));
      const pending = members.map((m) => t.http.post('/api/v1/uploads/images').set(m.auth).attach('file', pngOf(512), 'p.png').then((a) => a.status));
      await until(() => storage.active === 2);
      await new Promise((resolve) => setTimeout(resolve, 300)); // every other upload has arrived by now
      expect(storage.active).toBe(2);
      storage.release();
      expect(await Promise.all(pending)).toEqual(Array(12).fill(201));
      expect(storage.maxActive).toBe(2);
    } finally {
      await t.close();
    }
  });
});
