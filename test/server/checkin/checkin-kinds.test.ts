import { Checkin } from '../../../server/src/modules/checkin/checkin.entity';
import { at, createCohort, expectBalancesMatchLedger, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { makeM4a, makeMp3 } from '../upload/audio-fixtures';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/** DESIGN §4 "What a check-in holds": a cohort's kinds, at least one of them, text optional. */
let t: TestApp;
let operator: LoggedIn;

const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2dd1f8a0000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

async function photoOf(member: LoggedIn): Promise<string> {
  return (await t.http.post('/api/v1/uploads/images').set(member.auth).attach('file', png, 'photo.png').expect(201)).body.url;
}

describe('a cohort says what its check-ins hold', () => {
  it('takes text, photos and recordings by default, and keeps the kinds chosen on create, edit and clone', async () => {
    const plain = await createCohort(t, operator, { title: '默认', startDate: '2026-03-02' });
    const read = await t.http.get(`/api/v1/cohorts/${plain.id}`).set(operator.auth).expect(200);
    expect(read.body).toMatchObject({ checkinKinds: ['text', 'photo', 'voice'], maxAudioSeconds: 60 });

    const painting = await t.http.post('/api/v1/cohorts').set(operator.auth)
      .send({ title: '水彩 7 天', theme: 'painting', durationDays: 7, startDate: '2026-03-02', checkinKinds: ['photo'] }).expect(201);
    expect(painting.body.checkinKinds).toEqual(['photo']);

    const edited = await t.http.put(`/api/v1/cohorts/${painting.body.id}`).set(operator.auth)
      .send({ checkinKinds: ['voice', 'text'], maxAudioSeconds: 180 }).expect(200);
    expect(edited.body).toMatchObject({ checkinKinds: ['text', 'voice'], maxAudioSeconds: 180 });

    const clone = await t.http.post(`/api/v1/cohorts/${painting.body.id}/clone`).set(operator.auth).send({ startDate: '2026-03-20' }).expect(201);
    expect(clone.body).toMatchObject({ checkinKinds: ['text', 'voice'], maxAudioSeconds: 180 });
  });

  it('refuses no kinds, unknown kinds, repeats and recordings longer than 180 s', async () => {
    const cohort = await createCohort(t, operator, { title: '校验', startDate: '2026-03-02' });
    for (const body of [{ checkinKinds: [] }, { checkinKinds: ['video'] }, { checkinKinds: ['text', 'text'] }, { maxAudioSeconds: 181 }, { maxAudioSeconds: 0 }]) {
      const answer = await t.http.put(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).send(body).expect(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await t.http.get(`/api/v1/cohorts/${cohort.id}`).set(operator.auth).expect(200)).body.checkinKinds).toEqual(['text', 'photo', 'voice']);
  });
});

describe('a check-in holds at least one kind its cohort takes', () => {
  it('needs something: an empty check-in is 400 and records nothing', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { title: '空打卡', startDate: '2026-03-02' });
    const ann = await joinAs(t, 'kinds-ann', cohort.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    for (const body of [{}, { text: '' }, { text: '   ', imageUrls: [] }, { text: '', audioUrl: null }]) {
      const answer = await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(ann.auth).send(body).expect(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('needs at least one of') });
    }
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: ann.memberId })).toBe(0);
  });

  it('takes a photo without text, and refuses text in a photo-only cohort, naming what it takes', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const painting = await createCohort(t, operator, { title: '只收照片', theme: 'painting', startDate: '2026-03-02', checkinKinds: ['photo'] });
    const bea = await joinAs(t, 'kinds-bea', painting.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    const photo = await photoOf(bea);

    const textOnly = await t.http.post(`/api/v1/cohorts/${painting.id}/checkins`).set(bea.auth).send({ text: '今天画了一棵树' }).expect(400);
    expect(textOnly.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'This cohort takes photos only; remove the text.',
      details: [{ path: 'body.text', message: 'this cohort does not take text' }],
    });
    const withText = await t.http.post(`/api/v1/cohorts/${painting.id}/checkins`).set(bea.auth).send({ text: '说明', imageUrls: [photo] }).expect(400);
    expect(withText.body.error.details).toEqual([{ path: 'body.text', message: 'this cohort does not take text' }]);

    const done = await t.http.post(`/api/v1/cohorts/${painting.id}/checkins`).set(bea.auth).send({ imageUrls: [photo] }).expect(201);
    expect(done.body.checkin).toMatchObject({ text: '', imageUrls: [photo], audioUrl: null, audioSeconds: null, likeCount: 0, likedByMe: false, commentCount: 0 });
    expect(done.body.awards).toEqual([{ reason: 'checkin', points: 10 }]);
  });

  it('takes text only in a text cohort and refuses a photo there', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const diary = await createCohort(t, operator, { title: '只收文字', startDate: '2026-03-02', checkinKinds: ['text'] });
    const cal = await joinAs(t, 'kinds-cal', diary.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    const photo = await photoOf(cal);
    const refused = await t.http.post(`/api/v1/cohorts/${diary.id}/checkins`).set(cal.auth).send({ text: '日记', imageUrls: [photo] }).expect(400);
    expect(refused.body.error.details).toEqual([{ path: 'body.imageUrls', message: 'this cohort does not take photos' }]);
    await t.http.post(`/api/v1/cohorts/${diary.id}/checkins`).set(cal.auth).send({ text: '日记' }).expect(201);
  });
});

describe('the check-in result says what to celebrate', () => {
  it('reaches the 7-day streak milestone on day 7 and completion on the last day', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const week = await createCohort(t, operator, { title: '七天', startDate: '2026-03-02' });
    const dee = await joinAs(t, 'kinds-dee', week.id);
    const results = [];
    for (let day = 1; day <= 7; day++) {
      await at(t, `2026-03-0${day + 1}T09:00:00+08:00`);
      results.push((await t.http.post(`/api/v1/cohorts/${week.id}/checkins`).set(dee.auth).send({ text: `第 ${day} 天` }).expect(201)).body);
    }
    expect(results.slice(0, 6).map((r) => r.milestones)).toEqual(Array(6).fill({ streakDays: null, completed: false }));
    expect(results[6].milestones).toEqual({ streakDays: 7, completed: true });
    expect(results[6].awards.map((a: { reason: string }) => a.reason)).toEqual(['checkin', 'streak_bonus', 'completion_bonus']);
  });
});

describe('a voice check-in', () => {
  it('takes a recording alone, measured by the server, and the feed, the check-in and the review queue carry it', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const teacher = await teacherOf(t, operator, 'voice-teacher');
    const speaking = await createCohort(t, operator, { title: '口语只收录音', startDate: '2026-03-02', checkinKinds: ['voice'], teacherIds: [teacher.memberId] });
    const eva = await joinAs(t, 'voice-eva', speaking.id);
    await at(t, '2026-03-02T09:00:00+08:00');

    const upload = await t.http.post('/api/v1/uploads/audio').set(eva.auth).attach('file', makeMp3(20), 'speech.mp3').expect(201);
    expect(upload.body).toMatchObject({ contentType: 'audio/mpeg', durationSeconds: 20 });
    const done = await t.http.post(`/api/v1/cohorts/${speaking.id}/checkins`).set(eva.auth).send({ audioUrl: upload.body.url }).expect(201);
    expect(done.body.checkin).toMatchObject({ text: '', imageUrls: [], audioUrl: upload.body.url, audioSeconds: 20 });

    const feed = await t.http.get(`/api/v1/cohorts/${speaking.id}/checkins`).set(eva.auth).expect(200);
    expect(feed.body.items[0]).toMatchObject({ audioUrl: upload.body.url, audioSeconds: 20 });
    expect((await t.http.get(`/api/v1/checkins/${done.body.checkin.id}`).set(teacher.auth).expect(200)).body).toMatchObject({ audioUrl: upload.body.url, audioSeconds: 20 });
    const queue = await t.http.get('/api/v1/teacher/review-queue').set(teacher.auth).expect(200);
    expect(queue.body.items.find((c: { id: number }) => c.id === done.body.checkin.id)).toMatchObject({ audioUrl: upload.body.url, audioSeconds: 20 });
    const served = await t.http.get(upload.body.url).expect(200);
    expect(served.headers['content-type']).toBe('audio/mpeg');
  });

  it('uses only my own recordings, within the cohort\'s limit (60 s unless it allows up to 180 s)', async () => {
    await at(t, '2026-03-01T10:00:00+08:00');
    const long = await createCohort(t, operator, { title: '长录音', startDate: '2026-03-02', checkinKinds: ['voice', 'text'], maxAudioSeconds: 120 });
    const short = await createCohort(t, operator, { title: '短录音', startDate: '2026-03-02', checkinKinds: ['voice'], maxAudioSeconds: 30 });
    const fay = await joinAs(t, 'voice-fay', long.id);
    await t.http.post(`/api/v1/cohorts/${short.id}/enrollments`).set(fay.auth).send({}).expect(200);
    const gil = await joinAs(t, 'voice-gil', long.id);
    const outsider = await joinAs(t, 'voice-outsider', short.id);
    await at(t, '2026-03-02T09:00:00+08:00');

    // 90 s is past the default 60 s; naming the cohort that allows 120 s lets it in (an iOS M4A).
    const m4a = makeM4a(90);
    const refused = await t.http.post('/api/v1/uploads/audio').set(fay.auth).attach('file', m4a, 'speech.m4a').expect(400);
    expect(refused.body.error).toMatchObject({ code: 'AUDIO_TOO_LONG', details: { maxSeconds: 60 } });
    const upload = await t.http.post('/api/v1/uploads/audio').set(fay.auth).field('cohortId', String(long.id)).attach('file', m4a, 'speech.m4a').expect(201);
    expect(upload.body).toMatchObject({ contentType: 'audio/mp4', durationSeconds: 90 });
    expect((await t.http.post('/api/v1/uploads/audio').set(outsider.auth).field('cohortId', String(long.id)).attach('file', m4a, 'x.m4a').expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await t.http.post('/api/v1/uploads/audio').set(fay.auth).field('cohortId', 'abc').attach('file', m4a, 'x.m4a').expect(400)).body.error.code).toBe('VALIDATION_FAILED');

    // Someone else's recording is not mine to check in with.
    const stolen = await t.http.post(`/api/v1/cohorts/${long.id}/checkins`).set(gil.auth).send({ audioUrl: upload.body.url }).expect(400);
    expect(stolen.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'body.audioUrl' })] });
    // A 90 s recording is too long for the 30 s cohort, checked again at the check-in.
    const tooLong = await t.http.post(`/api/v1/cohorts/${short.id}/checkins`).set(fay.auth).send({ audioUrl: upload.body.url }).expect(400);
    expect(tooLong.body.error).toMatchObject({ code: 'AUDIO_TOO_LONG', details: { seconds: 90, maxSeconds: 30 } });
    // Never uploaded at all.
    await t.http.post(`/api/v1/cohorts/${long.id}/checkins`).set(fay.auth).send({ audioUrl: '/uploads/audio/2026/03/' + 'a'.repeat(32) + '.mp3' }).expect(400);

    const done = await t.http.post(`/api/v1/cohorts/${long.id}/checkins`).set(fay.auth).send({ text: 'Day one, 90 seconds.', audioUrl: upload.body.url }).expect(201);
    expect(done.body.checkin).toMatchObject({ text: 'Day one, 90 seconds.', audioSeconds: 90 });
    expect(await t.db.dataSource.manager.countBy(Checkin, { memberId: gil.memberId })).toBe(0);
  });
});
