import { Review } from '../../../server/src/modules/review/review.entity';
import type { FakeSubscribeMessageSender } from '../../../server/src/platform/wechat/subscribe-message';
import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';
import { makeMp3 } from '../upload/audio-fixtures';

let t: TestApp;
let operator: LoggedIn;
let msWang: LoggedIn;
let mrLi: LoggedIn;
let english: CohortFixture;
let painting: CohortFixture;
let ann: LoggedIn;
let bob: LoggedIn;
let annDay1: number;
let annDay2: number;
let bobDay2: number;
let painterCheckin: number;

const sender = () => t.deps.wechat.subscribeMessages as FakeSubscribeMessageSender;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  msWang = await teacherOf(t, operator, 'ms-wang');
  mrLi = await teacherOf(t, operator, 'mr-li');
  await at(t, '2026-03-01T10:00:00+08:00');
  english = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [msWang.memberId] });
  painting = await createCohort(t, operator, { startDate: '2026-03-02', title: '绘画', teacherIds: [mrLi.memberId] });
  ann = await joinAs(t, 'ann', english.id);
  bob = await joinAs(t, 'bob', english.id);
  const painter = await joinAs(t, 'painter', painting.id);
  // Ann asks for a "reviewed" message once (as the Mini Program does after a check-in).
  await t.http.post('/api/v1/me/subscriptions').set(ann.auth).send({ results: { 'fake-tmpl-review': 'accept' } }).expect(200);

  const checkIn = async (member: LoggedIn, cohortId: number, text: string) =>
    (await t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(member.auth).send({ text }).expect(201)).body.checkin.id as number;
  await at(t, '2026-03-02T09:00:00+08:00');
  annDay1 = await checkIn(ann, english.id, 'Day 1 from Ann');
  painterCheckin = await checkIn(painter, painting.id, '我的第一幅画');
  await at(t, '2026-03-03T09:00:00+08:00');
  annDay2 = await checkIn(ann, english.id, 'Day 2 from Ann');
  bobDay2 = await checkIn(bob, english.id, 'Day 2 from Bob');
});
afterAll(() => t.close());

const review = (teacher: LoggedIn, checkinId: number, body: object = { text: '发音很清楚，继续加油！' }) =>
  t.http.post(`/api/v1/checkins/${checkinId}/reviews`).set(teacher.auth).send(body);

describe('the review queue', () => {
  it('shows a teacher the unreviewed check-ins of their own cohorts, oldest first, with today\'s counts', async () => {
    await at(t, '2026-03-03T12:00:00+08:00');
    const queue = await t.http.get('/api/v1/teacher/review-queue').set(msWang.auth).expect(200);
    expect(queue.body.items.map((c: { id: number }) => c.id)).toEqual([annDay1, annDay2, bobDay2]);
    expect(queue.body.items[0]).toMatchObject({ cohortTitle: '英语口语 7 天', author: { id: ann.memberId }, review: null });
    expect(queue.body.counts).toEqual({ pendingToday: 2, pendingTotal: 3, doneToday: 0 });

    const day2 = await t.http.get(`/api/v1/teacher/review-queue?cohortId=${english.id}&day=2&limit=1`).set(msWang.auth).expect(200);
    expect(day2.body.items.map((c: { id: number }) => c.id)).toEqual([annDay2]);
    const next = await t.http.get(`/api/v1/teacher/review-queue?day=2&limit=1&after=${day2.body.nextCursor}`).set(msWang.auth).expect(200);
    expect(next.body.items.map((c: { id: number }) => c.id)).toEqual([bobDay2]);
  });

  it('is for teachers only', async () => {
    expect((await t.http.get('/api/v1/teacher/review-queue').set(ann.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
  });
});

describe('reviewing', () => {
  it('a teacher of another cohort and a member get 403, and nothing is written', async () => {
    expect((await review(mrLi, annDay1).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await review(ann, annDay1).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await review(msWang, painterCheckin).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect(await t.db.dataSource.manager.count(Review)).toBe(0);
  });

  it('the cohort\'s teacher reviews; the member sees it and gets one "reviewed" message', async () => {
    await at(t, '2026-03-03T20:00:00+08:00');
    const answer = await review(msWang, annDay1).expect(201);
    expect(answer.body).toMatchObject({ checkinId: annDay1, teacher: { id: msWang.memberId }, text: '发音很清楚，继续加油！', audioUrl: null });

    const feed = await t.http.get(`/api/v1/cohorts/${english.id}/checkins`).set(bob.auth).expect(200);
    expect(feed.body.items.find((c: { id: number }) => c.id === annDay1).review).toMatchObject({ id: answer.body.id, text: '发音很清楚，继续加油！' });
    const progress = await t.http.get(`/api/v1/me/cohorts/${english.id}/progress`).set(ann.auth).expect(200);
    expect(progress.body.days[0].review).toMatchObject({ id: answer.body.id });

    const messages = sender().sent.filter((m) => m.templateId === 'fake-tmpl-review');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ touser: 'ann', page: `pages/cohort/progress?id=${english.id}` });
    const subscriptions = await t.http.get('/api/v1/me/subscriptions').set(ann.auth).expect(200);
    expect(subscriptions.body.templates.find((x: { key: string }) => x.key === 'review').sendsLeft).toBe(0);

    const queue = await t.http.get('/api/v1/teacher/review-queue').set(msWang.auth).expect(200);
    expect(queue.body.items.map((c: { id: number }) => c.id)).not.toContain(annDay1);
    expect(queue.body.counts).toMatchObject({ doneToday: 1, pendingTotal: 2 });
  });

  it('a second review of the same check-in is refused, even when two arrive at once, and never duplicates', async () => {
    const again = await review(msWang, annDay1, { text: '再评一次' }).expect(409);
    expect(again.body.error).toMatchObject({ code: 'REVIEW_ALREADY_EXISTS', details: { reviewId: expect.any(Number) } });
    const both = await Promise.all([review(msWang, annDay2, { text: 'A' }), review(msWang, annDay2, { text: 'B' })]);
    expect(both.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await t.db.dataSource.manager.countBy(Review, { checkinId: annDay2 })).toBe(1);
    // Ann had one "reviewed" send banked and it was used: no further message.
    expect(sender().sent.filter((m) => m.templateId === 'fake-tmpl-review')).toHaveLength(1);
  });

  it('only the author edits a review', async () => {
    const existing = await t.db.dataSource.manager.findOneByOrFail(Review, { checkinId: annDay1 });
    const edited = await t.http.put(`/api/v1/reviews/${existing.id}`).set(msWang.auth).send({ text: '改一下：语调很自然！' }).expect(200);
    expect(edited.body.text).toBe('改一下：语调很自然！');
    expect((await t.http.put(`/api/v1/reviews/${existing.id}`).set(mrLi.auth).send({ text: 'x' }).expect(403)).body.error.code).toBe('FORBIDDEN');
  });

  it('refuses an empty review, a voice note not uploaded here, and risky text', async () => {
    for (const body of [{ text: '' }, { text: 'ok', audioUrl: 'https://evil.example/a.mp3' }, { text: 'ok', extra: 1 }]) {
      expect((await review(msWang, bobDay2, body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('a voice note alone is a review (no placeholder text); taking the recording away from it then needs words', async () => {
    const upload = await t.http.post('/api/v1/uploads/audio').set(mrLi.auth).attach('file', makeMp3(12), 'praise.mp3').expect(201);
    const voiceOnly = await review(mrLi, painterCheckin, { audioUrl: upload.body.url, audioSeconds: 12 }).expect(201);
    expect(voiceOnly.body).toMatchObject({ text: '', audioUrl: upload.body.url, audioSeconds: 12 });
    const path = `/api/v1/reviews/${voiceOnly.body.id}`;
    const refused = await t.http.put(path).set(mrLi.auth).send({ audioUrl: null }).expect(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.db.dataSource.manager.findOneByOrFail(Review, { id: voiceOnly.body.id })).audioKey).not.toBeNull();
    const rewritten = await t.http.put(path).set(mrLi.auth).send({ text: '色彩很大胆！', audioUrl: null }).expect(200);
    expect(rewritten.body).toMatchObject({ text: '色彩很大胆！', audioUrl: null });
  });

  it('a teacher features a check-in; the feed shows it', async () => {
    await t.http.post(`/api/v1/checkins/${bobDay2}/feature`).set(msWang.auth).send({ featured: true }).expect(200);
    const feed = await t.http.get(`/api/v1/cohorts/${english.id}/checkins`).set(ann.auth).expect(200);
    expect(feed.body.items.find((c: { id: number }) => c.id === bobDay2).featured).toBe(true);
    expect((await t.http.post(`/api/v1/checkins/${bobDay2}/feature`).set(ann.auth).send({ featured: false }).expect(403)).body.error.code).toBe('FORBIDDEN');
  });
});

describe('quick replies', () => {
  it('a teacher keeps their own list', async () => {
    const added = await t.http.post('/api/v1/teacher/templates').set(msWang.auth).send({ text: '很棒，继续保持！' }).expect(201);
    await t.http.post('/api/v1/teacher/templates').set(mrLi.auth).send({ text: '色彩很好' }).expect(201);
    const mine = await t.http.get('/api/v1/teacher/templates').set(msWang.auth).expect(200);
    expect(mine.body.items).toEqual([{ id: added.body.id, text: '很棒，继续保持！' }]);
    expect((await t.http.delete(`/api/v1/teacher/templates/${added.body.id}`).set(mrLi.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    await t.http.delete(`/api/v1/teacher/templates/${added.body.id}`).set(msWang.auth).expect(200);
    expect((await t.http.get('/api/v1/teacher/templates').set(msWang.auth)).body.items).toEqual([]);
  });
});

describe('anyone else', () => {
  it('cannot read the queue with a member token', async () => {
    const stranger = await loginAs(t, 'stranger');
    await t.http.get('/api/v1/teacher/templates').set(stranger.auth).expect(403);
  });
});
