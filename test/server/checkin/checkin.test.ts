import { Checkin } from '../../../server/src/modules/checkin/checkin.entity';
import { PointsLedgerLine } from '../../../server/src/modules/points/points.entity';
import { at, createCohort, expectBalancesMatchLedger, joinAs, operatorOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;

beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_RISKY_WORDS: '赌博', CONTENT_REVIEW_WORDS: '加微信' } });
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', prompts: ['自我介绍', '描述你的早餐'] });
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const checkinPath = () => `/api/v1/cohorts/${cohort.id}/checkins`;

describe('POST /cohorts/:id/checkins', () => {
  it('is refused before day 1 with COHORT_NOT_RUNNING', async () => {
    const amy = await joinAs(t, 'amy', cohort.id);
    await at(t, '2026-03-01T23:59:59+08:00');
    const answer = await t.http.post(checkinPath()).set(amy.auth).send({ text: '提前打卡' }).expect(409);
    expect(answer.body.error).toMatchObject({ code: 'COHORT_NOT_RUNNING', details: { status: 'recruiting' } });
  });

  it('on day 1 records the check-in, awards the base 10 points and starts the streak', async () => {
    const ben = await joinAs(t, 'ben', cohort.id);
    await at(t, '2026-03-02T00:00:00+08:00');
    const answer = await t.http.post(checkinPath()).set(ben.auth).send({ text: 'Hello, I am Ben.' }).expect(201);
    expect(answer.body).toMatchObject({
      checkin: { dayIndex: 1, date: '2026-03-02', text: 'Hello, I am Ben.', viaGroup: false, isMakeUp: false, heldForReview: false },
      awards: [{ reason: 'checkin', points: 10 }],
      streak: { current: 1, longest: 1, total: 1 },
      balance: 10,
    });
    const me = await t.http.get('/api/v1/me/points').set(ben.auth).expect(200);
    expect(me.body.balance).toBe(10);
    expect(me.body.entries).toEqual([expect.objectContaining({ delta: 10, reason: 'checkin', refType: 'checkin', refId: answer.body.checkin.id })]);
  });

  it('fired 30 times at once records exactly one check-in and one award; the rest are CHECKIN_ALREADY_DONE', async () => {
    const cara = await joinAs(t, 'cara', cohort.id);
    await at(t, '2026-03-02T12:00:00+08:00');
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => t.http.post(checkinPath()).set(cara.auth).send({ text: '同时提交' })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    for (const answer of answers.filter((a) => a.status === 409)) expect(answer.body.error.code).toBe('CHECKIN_ALREADY_DONE');
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: cara.memberId })).toBe(1);
    expect(await t.db.dataSource.manager.countBy(PointsLedgerLine, { memberId: cara.memberId })).toBe(1);
    const points = await t.http.get('/api/v1/me/points').set(cara.auth).expect(200);
    expect(points.body.balance).toBe(10);
  });

  it('keeps the day boundary in Asia/Shanghai whatever the process zone: 23:59:59 is still day 1, 00:00:00 is day 2', async () => {
    const originalTz = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      const dan = await joinAs(t, 'dan', cohort.id);
      await at(t, '2026-03-02T23:59:59+08:00');
      const late = await t.http.post(checkinPath()).set(dan.auth).send({ text: '差一秒' }).expect(201);
      expect(late.body.checkin).toMatchObject({ dayIndex: 1, date: '2026-03-02' });
      const again = await t.http.post(checkinPath()).set(dan.auth).send({ text: '还是第一天' }).expect(409);
      expect(again.body.error.code).toBe('CHECKIN_ALREADY_DONE');

      await at(t, '2026-03-03T00:00:00+08:00');
      const next = await t.http.post(checkinPath()).set(dan.auth).send({ text: '第二天' }).expect(201);
      expect(next.body.checkin).toMatchObject({ dayIndex: 2, date: '2026-03-03' });
      expect(next.body.streak).toEqual({ current: 2, longest: 2, total: 2 });
    } finally {
      process.env.TZ = originalTz;
    }
  });

  it('refuses members who did not join, or who left, with 403 NOT_ENROLLED', async () => {
    await at(t, '2026-03-03T09:00:00+08:00');
    const stranger = await loginAs(t, 'stranger');
    const answer = await t.http.post(checkinPath()).set(stranger.auth).send({ text: 'hi' }).expect(403);
    expect(answer.body.error.code).toBe('NOT_ENROLLED');

    const eve = await joinAs(t, 'eve', cohort.id);
    await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(eve.auth).expect(200);
    const left = await t.http.post(checkinPath()).set(eve.auth).send({ text: 'hi' }).expect(403);
    expect(left.body.error.code).toBe('NOT_ENROLLED');
  });

  it('refuses empty or overlong text, more than 9 photos, photos not uploaded here, and unknown fields', async () => {
    await at(t, '2026-03-03T09:00:00+08:00');
    const fay = await joinAs(t, 'fay', cohort.id);
    const bad = [
      { text: '   ' },
      { text: 'x'.repeat(2001) },
      { text: 'ok', imageUrls: Array(10).fill('/uploads/img/2026/03/' + 'a'.repeat(32) + '.jpg') },
      { text: 'ok', imageUrls: ['https://evil.example/x.jpg'] },
      { text: 'ok', memberId: 1 },
      { text: 'ok', makeUpDate: '03/02/2026' },
    ];
    for (const body of bad) {
      const answer = await t.http.post(checkinPath()).set(fay.auth).send(body).expect(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: fay.memberId })).toBe(0);
  });

  it('accepts photos uploaded through the upload endpoint and shows them in the feed', async () => {
    await at(t, '2026-03-03T09:00:00+08:00');
    const gus = await joinAs(t, 'gus', cohort.id);
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2dd1f8a0000000049454e44ae426082',
      'hex',
    );
    const upload = await t.http.post('/api/v1/uploads/images').set(gus.auth).attach('file', png, 'photo.png').expect(201);
    const answer = await t.http.post(checkinPath()).set(gus.auth).send({ text: '今天的照片', imageUrls: [upload.body.url] }).expect(201);
    expect(answer.body.checkin.imageUrls).toEqual([upload.body.url]);
    const served = await t.http.get(upload.body.url).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
  });

  it('rejects risky text with CONTENT_REJECTED and records nothing; text held for review is hidden from other members', async () => {
    await at(t, '2026-03-03T10:00:00+08:00');
    const hal = await joinAs(t, 'hal', cohort.id);
    const risky = await t.http.post(checkinPath()).set(hal.auth).send({ text: '来赌博吧' }).expect(400);
    expect(risky.body.error.code).toBe('CONTENT_REJECTED');
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: hal.memberId })).toBe(0);

    const held = await t.http.post(checkinPath()).set(hal.auth).send({ text: '有问题加微信' }).expect(201);
    expect(held.body.checkin.heldForReview).toBe(true);
    const ownFeed = await t.http.get(checkinPath()).set(hal.auth).expect(200);
    expect(ownFeed.body.items.map((c: { id: number }) => c.id)).toContain(held.body.checkin.id);
    const ivy = await joinAs(t, 'ivy', cohort.id);
    const othersFeed = await t.http.get(checkinPath()).set(ivy.auth).expect(200);
    expect(othersFeed.body.items.map((c: { id: number }) => c.id)).not.toContain(held.body.checkin.id);
    const staffFeed = await t.http.get(checkinPath()).set(operator.auth).expect(200);
    expect(staffFeed.body.items.map((c: { id: number }) => c.id)).toContain(held.body.checkin.id);
  });

  it('is refused after the last day with COHORT_NOT_RUNNING', async () => {
    const jon = await joinAs(t, 'jon', cohort.id);
    await at(t, '2026-03-09T00:00:00+08:00');
    const answer = await t.http.post(checkinPath()).set(jon.auth).send({ text: '太晚了' }).expect(409);
    expect(answer.body.error).toMatchObject({ code: 'COHORT_NOT_RUNNING', details: { status: 'converting' } });
  });
});

describe('GET /checkins/:id', () => {
  it('shows one check-in to its cohort, hides held ones from other members, and is 404 for outsiders', async () => {
    await at(t, '2026-03-04T09:00:00+08:00');
    const kai = await joinAs(t, 'kai', cohort.id);
    const mine = await t.http.post(checkinPath()).set(kai.auth).send({ text: '有问题加微信' }).expect(201);
    const plain = await t.http.post(checkinPath()).set((await joinAs(t, 'lou', cohort.id)).auth).send({ text: '普通' }).expect(201);
    const viewer = await joinAs(t, 'viewer', cohort.id);
    expect((await t.http.get(`/api/v1/checkins/${plain.body.checkin.id}`).set(viewer.auth).expect(200)).body).toMatchObject({ id: plain.body.checkin.id, text: '普通', review: null });
    expect((await t.http.get(`/api/v1/checkins/${mine.body.checkin.id}`).set(kai.auth).expect(200)).body.heldForReview).toBe(true);
    await t.http.get(`/api/v1/checkins/${mine.body.checkin.id}`).set(viewer.auth).expect(404);
    await t.http.get(`/api/v1/checkins/${mine.body.checkin.id}`).set(operator.auth).expect(200);
    const outsider = await loginAs(t, 'outsider-2');
    expect((await t.http.get(`/api/v1/checkins/${plain.body.checkin.id}`).set(outsider.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('GET /cohorts/:id/checkins (feed)', () => {
  it('pages newest first with a cursor, with author names, and only for members and staff', async () => {
    await at(t, '2026-03-04T08:00:00+08:00');
    const first = await t.http.get(`${checkinPath()}?limit=2`).set(operator.auth).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].id).toBeGreaterThan(first.body.items[1].id);
    expect(first.body.items[0].author).toEqual({ id: expect.any(Number), nickname: expect.any(String), avatarUrl: null });
    const second = await t.http.get(`${checkinPath()}?limit=2&before=${first.body.nextCursor}`).set(operator.auth).expect(200);
    expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);

    const outsider = await loginAs(t, 'outsider');
    const refused = await t.http.get(checkinPath()).set(outsider.auth).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    for (const query of ['limit=0', 'limit=51', 'limit=abc', 'before=-1', 'color=red']) {
      const bad = await t.http.get(`${checkinPath()}?${query}`).set(operator.auth).expect(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
