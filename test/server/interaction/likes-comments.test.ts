import { Checkin } from '../../../server/src/modules/checkin/checkin.entity';
import { CheckinComment, CheckinLike } from '../../../server/src/modules/interaction/interaction.entities';
import { Notification } from '../../../server/src/modules/notify/notify.entity';
import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/** DESIGN §4 "Likes and comments" and §5: PUT/DELETE /checkins/:id/like, GET/POST /checkins/:id/comments, DELETE /comments/:id. */
let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let cohort: CohortFixture;
let author: LoggedIn;
let checkinId: number;

beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_RISKY_WORDS: '赌博', CONTENT_REVIEW_WORDS: '加微信' } });
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'like-teacher');
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId] });
  author = await joinAs(t, 'like-author', cohort.id);
  await at(t, '2026-03-02T09:00:00+08:00');
  checkinId = (await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(author.auth).send({ text: 'Day one: introduced myself.' }).expect(201)).body.checkin.id;
});
afterAll(() => t.close());

const likePath = (id = checkinId) => `/api/v1/checkins/${id}/like`;
const commentsPath = (id = checkinId) => `/api/v1/checkins/${id}/comments`;
const feedItem = async (viewer: LoggedIn, id = checkinId) =>
  (await t.http.get(`/api/v1/cohorts/${cohort.id}/checkins`).set(viewer.auth).expect(200)).body.items.find((c: { id: number }) => c.id === id);
const inboxOf = async (member: LoggedIn) => (await t.http.get('/api/v1/me/notifications').set(member.auth).expect(200)).body.items;

describe('likes', () => {
  it('20 parallel likes from one member count once; the feed says likeCount and likedByMe; unlike works and is idempotent', async () => {
    const fan = await joinAs(t, 'like-fan', cohort.id);
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.http.put(likePath()).set(fan.auth)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const answer of answers) expect(answer.body).toEqual({ liked: true, likeCount: 1 });
    expect(await t.db.dataSource.manager.countBy(CheckinLike, { checkinId })).toBe(1);
    expect((await t.db.dataSource.manager.findOneByOrFail(Checkin, { id: checkinId })).likeCount).toBe(1);

    expect(await feedItem(fan)).toMatchObject({ likeCount: 1, likedByMe: true });
    expect(await feedItem(author)).toMatchObject({ likeCount: 1, likedByMe: false });
    expect((await t.http.get(`/api/v1/checkins/${checkinId}`).set(fan.auth).expect(200)).body).toMatchObject({ likeCount: 1, likedByMe: true });

    expect((await t.http.delete(likePath()).set(fan.auth).expect(200)).body).toEqual({ liked: false, likeCount: 0 });
    expect((await t.http.delete(likePath()).set(fan.auth).expect(200)).body).toEqual({ liked: false, likeCount: 0 });
    expect(await feedItem(fan)).toMatchObject({ likeCount: 0, likedByMe: false });
    expect((await t.db.dataSource.manager.findOneByOrFail(Checkin, { id: checkinId })).likeCount).toBe(0);
  });

  it('keeps the stored count right when many members like and unlike at once', async () => {
    const fans = await Promise.all(Array.from({ length: 12 }, (_, i) => joinAs(t, `like-crowd-${i}`, cohort.id)));
    await Promise.all(fans.map((fan) => t.http.put(likePath()).set(fan.auth).expect(200)));
    expect((await t.db.dataSource.manager.findOneByOrFail(Checkin, { id: checkinId })).likeCount).toBe(12);
    await Promise.all([
      ...fans.slice(0, 5).map((fan) => t.http.delete(likePath()).set(fan.auth).expect(200)),
      ...fans.slice(5).map((fan) => t.http.put(likePath()).set(fan.auth).expect(200)),
    ]);
    const stored = (await t.db.dataSource.manager.findOneByOrFail(Checkin, { id: checkinId })).likeCount;
    expect(stored).toBe(7);
    expect(await t.db.dataSource.manager.countBy(CheckinLike, { checkinId })).toBe(7);
    await Promise.all(fans.slice(5).map((fan) => t.http.delete(likePath()).set(fan.auth).expect(200)));
  });

  it('refuses liking my own check-in, and is 404 for outsiders, members who left and unknown check-ins', async () => {
    expect((await t.http.put(likePath()).set(author.auth).expect(403)).body.error.code).toBe('OWN_CHECKIN');
    const outsider = await loginAs(t, 'like-outsider');
    expect((await t.http.put(likePath()).set(outsider.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    const leaver = await joinAs(t, 'like-leaver', cohort.id);
    await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(leaver.auth).expect(200);
    await t.http.put(likePath()).set(leaver.auth).expect(404);
    await t.http.put(likePath(987654)).set(operator.auth).expect(404);
    expect(await t.db.dataSource.manager.countBy(CheckinLike, { checkinId })).toBe(0);
  });

  it('gathers likes into one notice for the author ("3 人赞了你的打卡"), unread again when more come', async () => {
    const likers = await Promise.all(['like-n1', 'like-n2', 'like-n3'].map((openid) => joinAs(t, openid, cohort.id)));
    for (const liker of likers) await t.http.put(likePath()).set(liker.auth).expect(200);
    let notices = (await inboxOf(author)).filter((n: { kind: string }) => n.kind === 'likes');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      unread: true, page: `pages/cohort/post?id=${checkinId}`, data: { count: '3', latest: `学员${likers[2].memberId}`, date: '2026-03-02' },
    });
    expect(await t.db.dataSource.manager.countBy(Notification, { memberId: likers[0].memberId })).toBe(0);

    await t.http.post(`/api/v1/me/notifications/${notices[0].id}/read`).set(author.auth).send({}).expect(200);
    await t.http.put(likePath()).set(teacher.auth).expect(200);
    notices = (await inboxOf(author)).filter((n: { kind: string }) => n.kind === 'likes');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ unread: true, data: { count: '4' } });
    for (const liker of [...likers, teacher]) await t.http.delete(likePath()).set(liker.auth).expect(200);
  });
});

describe('comments', () => {
  it('members of the cohort and its teachers comment; the author is told; the feed counts them; pages go newest first', async () => {
    const cam = await joinAs(t, 'comment-cam', cohort.id);
    const first = await t.http.post(commentsPath()).set(cam.auth).send({ text: '  发音很清楚！ ' }).expect(201);
    expect(first.body).toMatchObject({
      checkinId, text: '发音很清楚！', author: { id: cam.memberId, nickname: `学员${cam.memberId}`, avatarUrl: null },
      byTeacher: false, heldForReview: false, canDelete: true,
    });
    const byTeacher = await t.http.post(commentsPath()).set(teacher.auth).send({ text: 'Good job, slow down a little.' }).expect(201);
    expect(byTeacher.body.byTeacher).toBe(true);
    const third = await t.http.post(commentsPath()).set(cam.auth).send({ text: '第三条' }).expect(201);

    expect(await feedItem(cam)).toMatchObject({ commentCount: 3 });
    const page1 = await t.http.get(`${commentsPath()}?limit=2`).set(author.auth).expect(200);
    expect(page1.body.items.map((c: { id: number }) => c.id)).toEqual([third.body.id, byTeacher.body.id]);
    expect(page1.body.items.map((c: { canDelete: boolean }) => c.canDelete)).toEqual([false, false]);
    const page2 = await t.http.get(`${commentsPath()}?limit=2&before=${page1.body.nextCursor}`).set(author.auth).expect(200);
    expect(page2.body).toEqual({ items: [expect.objectContaining({ id: first.body.id })], nextCursor: null });

    const notices = (await inboxOf(author)).filter((n: { kind: string }) => n.kind === 'comment');
    expect(notices.map((n: { data: Record<string, string> }) => n.data)).toEqual([
      { from: `学员${cam.memberId}`, text: '第三条', date: '2026-03-02' },
      { from: `学员${teacher.memberId}`, text: 'Good job, slow down a little.', date: '2026-03-02' },
      { from: `学员${cam.memberId}`, text: '发音很清楚！', date: '2026-03-02' },
    ]);
    const own = await t.http.post(commentsPath()).set(author.auth).send({ text: '谢谢大家' }).expect(201);
    expect((await inboxOf(author)).filter((n: { kind: string }) => n.kind === 'comment')).toHaveLength(3);
    for (const id of [first.body.id, byTeacher.body.id, third.body.id, own.body.id]) {
      await t.http.delete(`/api/v1/comments/${id}`).set(operator.auth).expect(200);
    }
  });

  it('outsiders and members who left cannot comment or read comments (404); nothing is stored', async () => {
    const outsider = await loginAs(t, 'comment-outsider');
    expect((await t.http.post(commentsPath()).set(outsider.auth).send({ text: '路过' }).expect(404)).body.error.code).toBe('NOT_FOUND');
    await t.http.get(commentsPath()).set(outsider.auth).expect(404);
    const leaver = await joinAs(t, 'comment-leaver', cohort.id);
    await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(leaver.auth).expect(200);
    await t.http.post(commentsPath()).set(leaver.auth).send({ text: '我走了' }).expect(404);
    expect(await t.db.dataSource.manager.countBy(CheckinComment, { checkinId })).toBe(0);
  });

  it('are content-checked: risky text is refused, doubtful text is held for its author and staff only, uncounted and untold', async () => {
    const dan = await joinAs(t, 'comment-dan', cohort.id);
    const other = await joinAs(t, 'comment-other', cohort.id);
    const risky = await t.http.post(commentsPath()).set(dan.auth).send({ text: '一起赌博' }).expect(400);
    expect(risky.body.error.code).toBe('CONTENT_REJECTED');
    expect(await t.db.dataSource.manager.countBy(CheckinComment, { checkinId })).toBe(0);

    const held = await t.http.post(commentsPath()).set(dan.auth).send({ text: '有资料加微信' }).expect(201);
    expect(held.body.heldForReview).toBe(true);
    const ids = async (viewer: LoggedIn) => (await t.http.get(commentsPath()).set(viewer.auth).expect(200)).body.items.map((c: { id: number }) => c.id);
    expect(await ids(dan)).toEqual([held.body.id]);
    expect(await ids(teacher)).toEqual([held.body.id]);
    expect(await ids(other)).toEqual([]);
    expect(await ids(author)).toEqual([]);
    expect(await feedItem(other)).toMatchObject({ commentCount: 0 });
    expect((await inboxOf(author)).filter((n: { kind: string }) => n.kind === 'comment')).toHaveLength(0);
    await t.http.delete(`/api/v1/comments/${held.body.id}`).set(dan.auth).expect(200);
  });

  it('refuses empty and overlong comments with VALIDATION_FAILED', async () => {
    const eve = await joinAs(t, 'comment-eve', cohort.id);
    for (const body of [{}, { text: '   ' }, { text: '长'.repeat(501) }, { text: 'ok', memberId: 1 }]) {
      expect((await t.http.post(commentsPath()).set(eve.auth).send(body).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('are deleted by their author or staff only; the count and the notice go with them', async () => {
    const fin = await joinAs(t, 'comment-fin', cohort.id);
    const gil = await joinAs(t, 'comment-gil', cohort.id);
    const a = (await t.http.post(commentsPath()).set(fin.auth).send({ text: '第一条评论' }).expect(201)).body;
    const b = (await t.http.post(commentsPath()).set(fin.auth).send({ text: '第二条评论' }).expect(201)).body;
    expect(await feedItem(gil)).toMatchObject({ commentCount: 2 });

    expect((await t.http.delete(`/api/v1/comments/${a.id}`).set(gil.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await t.http.delete(`/api/v1/comments/${a.id}`).set(author.auth).expect(403)).body.error.code).toBe('FORBIDDEN');
    const outsider = await loginAs(t, 'comment-outsider-2');
    await t.http.delete(`/api/v1/comments/${a.id}`).set(outsider.auth).expect(404);

    expect((await t.http.delete(`/api/v1/comments/${a.id}`).set(fin.auth).expect(200)).body).toEqual({ deleted: true });
    await t.http.delete(`/api/v1/comments/${b.id}`).set(teacher.auth).expect(200);
    await t.http.delete(`/api/v1/comments/${b.id}`).set(fin.auth).expect(404);
    expect(await feedItem(gil)).toMatchObject({ commentCount: 0 });
    expect(await t.db.dataSource.manager.countBy(Notification, { dedupeKey: `comment:${a.id}` })).toBe(0);
    expect(await t.db.dataSource.manager.countBy(Notification, { dedupeKey: `comment:${b.id}` })).toBe(0);
  });
});

describe('comments under the content-write limit', () => {
  it('stop one member after the limit (429 RATE_LIMITED with Retry-After, nothing stored); others go on', async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_CONTENT_WRITE: '3/1m' } });
    try {
      const op = await operatorOf(limited);
      await at(limited, '2026-03-01T10:00:00+08:00');
      const small = await createCohort(limited, op, { startDate: '2026-03-02' });
      const [poster, chatty, calm] = await Promise.all(['rl-poster', 'rl-chatty', 'rl-calm'].map((openid) => joinAs(limited, openid, small.id)));
      await at(limited, '2026-03-02T09:00:00+08:00');
      const id = (await limited.http.post(`/api/v1/cohorts/${small.id}/checkins`).set(poster.auth).send({ text: 'hi' }).expect(201)).body.checkin.id;
      for (let i = 1; i <= 3; i++) await limited.http.post(`/api/v1/checkins/${id}/comments`).set(chatty.auth).send({ text: `第${i}条` }).expect(201);
      const fourth = await limited.http.post(`/api/v1/checkins/${id}/comments`).set(chatty.auth).send({ text: '第4条' }).expect(429);
      expect(fourth.body.error.code).toBe('RATE_LIMITED');
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await limited.db.dataSource.manager.countBy(CheckinComment, { checkinId: id })).toBe(3);
      await limited.http.post(`/api/v1/checkins/${id}/comments`).set(calm.auth).send({ text: '我还可以评论' }).expect(201);
    } finally {
      await limited.close();
    }
  });
});

describe('likes under their limit', () => {
  it('stop a member toggling a like past the limit (429 RATE_LIMITED, the like stays as it was, the author gets no more notices); others go on', async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_LIKE: '4/1m' } });
    try {
      const op = await operatorOf(limited);
      await at(limited, '2026-03-01T10:00:00+08:00');
      const small = await createCohort(limited, op, { startDate: '2026-03-02' });
      const [poster, toggler, calm] = await Promise.all(['rl-like-poster', 'rl-like-toggler', 'rl-like-calm'].map((openid) => joinAs(limited, openid, small.id)));
      await at(limited, '2026-03-02T09:00:00+08:00');
      const id = (await limited.http.post(`/api/v1/cohorts/${small.id}/checkins`).set(poster.auth).send({ text: 'hi' }).expect(201)).body.checkin.id;
      const like = `/api/v1/checkins/${id}/like`;
      for (let i = 0; i < 2; i++) {
        await limited.http.put(like).set(toggler.auth).expect(200);
        await limited.http.delete(like).set(toggler.auth).expect(200);
      }
      const notices = await limited.db.dataSource.manager.countBy(Notification, { memberId: poster.memberId });
      const fifth = await limited.http.put(like).set(toggler.auth).expect(429);
      expect(fifth.body.error.code).toBe('RATE_LIMITED');
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await limited.db.dataSource.manager.countBy(CheckinLike, { checkinId: id })).toBe(0);
      expect(await limited.db.dataSource.manager.countBy(Notification, { memberId: poster.memberId })).toBe(notices);
      expect((await limited.http.put(like).set(calm.auth).expect(200)).body).toEqual({ liked: true, likeCount: 1 });
    } finally {
      await limited.close();
    }
  });
});
