import jsQR from 'jsqr';
import { statementsDuring } from '../support/statements';
import { PNG } from 'pngjs';
import { PointsLedgerLine } from '../../../server/src/modules/points/points.entity';
import { Referral, ReferralOpen } from '../../../server/src/modules/referral/referral.entities';
import { wxaCodeRateLimited, type FakeWxaCodeClient } from '../../../server/src/platform/wechat/wxacode';
import { at, createCohort, expectBalancesMatchLedger, joinAs, operatorOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let cohort: CohortFixture;
let openerSerial = 0;

beforeAll(async () => {
  t = await startTestApp();
  operator = await operatorOf(t);
  await at(t, '2026-03-01T10:00:00+08:00');
  cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
});
afterEach(() => expectBalancesMatchLedger(t));
afterAll(() => t.close());

const newOpenid = (prefix: string) => `${prefix}-${++openerSerial}`;
const inviteCode = async (member: LoggedIn, cohortId = cohort.id, source = 'card') =>
  (await t.http.get(`/api/v1/me/invite-code?cohortId=${cohortId}&source=${source}`).set(member.auth).expect(200)).body as {
    code: string; scene: string; path: string; cohortId: number; source: string;
  };
const open = (member: LoggedIn | null, body: object) => {
  const request = t.http.post('/api/v1/referrals');
  return (member ? request.set(member.auth) : request).send(body);
};
const balanceOf = async (member: LoggedIn) => (await t.http.get('/api/v1/me/points').set(member.auth).expect(200)).body.balance as number;
const checkIn = (member: LoggedIn, cohortId: number, body: object = { text: '今天的打卡' }) =>
  t.http.post(`/api/v1/cohorts/${cohortId}/checkins`).set(member.auth).send(body);
const invitationsOf = async (member: LoggedIn, query = '') => (await t.http.get(`/api/v1/me/invitations${query}`).set(member.auth).expect(200)).body;

describe('invite codes', () => {
  it('gives each member one short code per cohort and way of sharing, with a scene of at most 32 characters', async () => {
    const ann = await joinAs(t, 'ann', cohort.id);
    const first = await inviteCode(ann);
    expect(first).toEqual({
      code: expect.stringMatching(/^[2-9A-HJ-NP-Za-km-z]{8}$/),
      cohortId: cohort.id,
      source: 'card',
      scene: `i=${first.code}`,
      path: `pages/cohort/index?id=${cohort.id}&inv=${first.code}`,
    });
    expect(first.scene.length).toBeLessThanOrEqual(32);
    expect(await inviteCode(ann)).toEqual(first);
    const timeline = await inviteCode(ann, cohort.id, 'timeline');
    expect(timeline.code).not.toBe(first.code);
    const bob = await loginAs(t, 'bob');
    expect((await inviteCode(bob)).code).not.toBe(first.code);
  });

  it('makes one code when many first asks come at once', async () => {
    const cat = await loginAs(t, newOpenid('cat'));
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.http.get(`/api/v1/me/invite-code?cohortId=${cohort.id}`).set(cat.auth)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((a) => a.body.code)).size).toBe(1);
  });

  it('refuses unknown cohorts and sources with a clear 4xx', async () => {
    const ann = await loginAs(t, 'ann');
    expect((await t.http.get('/api/v1/me/invite-code?cohortId=999').set(ann.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
    const bad = await t.http.get(`/api/v1/me/invite-code?cohortId=${cohort.id}&source=billboard`).set(ann.auth).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    await t.http.get(`/api/v1/me/invite-code?cohortId=${cohort.id}`).expect(401);
  });
});

describe('poster codes', () => {
  // Drawing a 430 px QR code takes about a second inside jest (some 40 times longer than outside it).
  const QR_TEST_MS = 30_000;
  const wxaCode = () => t.deps.wechat.wxaCode as FakeWxaCodeClient;

  it('makes the Mini Program code once per member and cohort, stores it, and serves the scannable image', async () => {
    const dan = await joinAs(t, newOpenid('dan'), cohort.id);
    const before = wxaCode().made.length;
    const poster = (await t.http.get(`/api/v1/cohorts/${cohort.id}/poster-code`).set(dan.auth).expect(200)).body;
    expect(poster).toEqual({
      code: expect.any(String), cohortId: cohort.id, scene: `i=${poster.code}`, page: 'pages/cohort/index',
      imageUrl: expect.stringMatching(/^\/uploads\/wxacode\/\d{4}\/\d{2}\/[0-9a-f]{32}\.png$/),
    });
    expect(wxaCode().made.slice(before)).toEqual([{ scene: poster.scene, page: 'pages/cohort/index' }]);

    const image = await t.http.get(poster.imageUrl).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(image.body as Buffer);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toContain(`scene=${poster.scene}`);

    const again = (await t.http.get(`/api/v1/cohorts/${cohort.id}/poster-code`).set(dan.auth).expect(200)).body;
    expect(again).toEqual(poster);
    expect(wxaCode().made.length).toBe(before + 1);
    // The poster's code is the member's poster invite.
    expect((await inviteCode(dan, cohort.id, 'poster')).code).toBe(poster.code);
  }, QR_TEST_MS);

  it('answers parallel first requests with the same stored image', async () => {
    const eve = await joinAs(t, newOpenid('eve'), cohort.id);
    const answers = await Promise.all(Array.from({ length: 4 }, () => t.http.get(`/api/v1/cohorts/${cohort.id}/poster-code`).set(eve.auth)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.imageUrl)).size).toBe(1);
  }, QR_TEST_MS);

  it('has no poster for a cohort nobody can join any more (409 COHORT_CLOSED) or one that does not exist', async () => {
    const fay = await loginAs(t, newOpenid('fay'));
    const past = await createCohort(t, operator, { startDate: '2026-03-01', durationDays: 7, title: '已结束' });
    await at(t, '2026-03-10T10:00:00+08:00');
    try {
      const closed = await t.http.get(`/api/v1/cohorts/${past.id}/poster-code`).set(fay.auth).expect(409);
      expect(closed.body.error).toMatchObject({ code: 'COHORT_CLOSED', details: { status: 'converting' } });
      await t.http.get('/api/v1/cohorts/4040/poster-code').set(fay.auth).expect(404);
    } finally {
      await at(t, '2026-03-01T10:00:00+08:00');
    }
  });
});

describe('recording opens and attributing newcomers', () => {
  it('attributes a newcomer who opens an invite after logging in, and records the open', async () => {
    const ann = await loginAs(t, 'ann');
    const { code } = await inviteCode(ann);
    const newcomer = await loginAs(t, newOpenid('new'));
    const answer = await open(newcomer, { inviteCode: code, cohortId: cohort.id, source: 'card' }).expect(200);
    expect(answer.body).toEqual({
      cohortId: cohort.id, attributed: true, reason: 'attributed',
      inviter: { id: ann.memberId, nickname: `学员${ann.memberId}`, avatarUrl: null },
    });
    const referral = await t.db.dataSource.manager.findOneByOrFail(Referral, { inviteeId: newcomer.memberId });
    expect(referral).toMatchObject({ inviterId: ann.memberId, cohortId: cohort.id, source: 'card', firstCheckinAt: null, rewardPoints: null });
    expect(await t.db.dataSource.manager.countBy(ReferralOpen, { memberId: newcomer.memberId })).toBe(1);
  });

  it('resolves a scanned code without a cohort id (the scene carries only the code)', async () => {
    const ann = await loginAs(t, 'ann');
    const { code } = await inviteCode(ann, cohort.id, 'poster');
    const scanner = await loginAs(t, newOpenid('scan'));
    const answer = await open(scanner, { inviteCode: code, source: 'poster' }).expect(200);
    expect(answer.body).toMatchObject({ cohortId: cohort.id, attributed: true });
  });

  it.each([
    ['opens their own invite', 'self'],
    ['had enrolled before', 'already_enrolled'],
    ['was attributed to someone else already', 'already_attributed'],
  ])('gives nothing (and no error) when the opener %s', async (_what, reason) => {
    const inviter = await loginAs(t, newOpenid('inv'));
    const { code } = await inviteCode(inviter);
    let opener: LoggedIn = inviter;
    if (reason === 'already_enrolled') {
      const other = await createCohort(t, operator, { startDate: '2026-03-05', title: '别的打卡期' });
      opener = await joinAs(t, newOpenid('old'), other.id);
    } else if (reason === 'already_attributed') {
      opener = await loginAs(t, newOpenid('twice'));
      const first = await loginAs(t, newOpenid('first-inviter'));
      await open(opener, { inviteCode: (await inviteCode(first)).code, source: 'card' }).expect(200);
    }
    const answer = await open(opener, { inviteCode: code, cohortId: cohort.id, source: 'card' }).expect(200);
    expect(answer.body).toMatchObject({ attributed: false, reason });
    expect(await t.db.dataSource.manager.countBy(Referral, { inviterId: inviter.memberId })).toBe(0);
  });

  it('records an open before login (Moments\' single-page mode) without attributing anyone', async () => {
    const ann = await loginAs(t, 'ann');
    const { code } = await inviteCode(ann, cohort.id, 'timeline');
    const opensBefore = await t.db.dataSource.manager.countBy(ReferralOpen, { source: 'timeline' });
    const answer = await open(null, { inviteCode: code, cohortId: cohort.id, source: 'timeline' }).expect(200);
    expect(answer.body).toMatchObject({ attributed: false, reason: 'not_logged_in', cohortId: cohort.id });
    expect(await t.db.dataSource.manager.countBy(ReferralOpen, { source: 'timeline' })).toBe(opensBefore + 1);
  });

  it('attributes a newcomer to one inviter only, even when two invites are opened at once', async () => {
    const inviters = await Promise.all([loginAs(t, newOpenid('a')), loginAs(t, newOpenid('b')), loginAs(t, newOpenid('c'))]);
    const codes = await Promise.all(inviters.map((inviter) => inviteCode(inviter)));
    const newcomer = await loginAs(t, newOpenid('contested'));
    const answers = await Promise.all(codes.map(({ code }) => open(newcomer, { inviteCode: code, source: 'card' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.attributed)).toHaveLength(1);
    expect(await t.db.dataSource.manager.countBy(Referral, { inviteeId: newcomer.memberId })).toBe(1);
  });

  it('does not attribute newcomers to a cohort nobody can join any more', async () => {
    const past = await createCohort(t, operator, { startDate: '2026-03-01', title: '快结束了' });
    const inviter = await loginAs(t, newOpenid('late'));
    const { code } = await inviteCode(inviter, past.id);
    await at(t, '2026-03-09T10:00:00+08:00');
    try {
      const answer = await open(await loginAs(t, newOpenid('too-late')), { inviteCode: code, source: 'card' }).expect(200);
      expect(answer.body).toMatchObject({ attributed: false, reason: 'cohort_closed' });
    } finally {
      await at(t, '2026-03-01T10:00:00+08:00');
    }
  });

  it('refuses an unknown code, a code of another cohort and an unknown source with a 4xx', async () => {
    const member = await loginAs(t, newOpenid('m'));
    expect((await open(member, { inviteCode: 'ZZZZZZZZ', source: 'card' }).expect(404)).body.error.code).toBe('NOT_FOUND');
    const { code } = await inviteCode(await loginAs(t, 'ann'));
    const mismatch = await open(member, { inviteCode: code, cohortId: cohort.id + 1000, source: 'card' }).expect(400);
    expect(mismatch.body.error.details).toEqual([{ path: 'body.cohortId', message: "does not match the invite code's cohort" }]);
    expect((await open(member, { inviteCode: code, source: 'billboard' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect(await t.db.dataSource.manager.countBy(ReferralOpen, { memberId: member.memberId })).toBe(0);
  });
});

describe('the invite reward', () => {
  let inviteSerial = 0;

  /** A running cohort (day 1 on 2026-04-01) with its own reward rules, and the clock on day 1. */
  async function runningCohort(points: Record<string, number> = {}) {
    await at(t, '2026-03-20T10:00:00+08:00');
    const fresh = await createCohort(t, operator, { startDate: '2026-04-01', title: `邀请奖励 ${++inviteSerial}`, points });
    await at(t, '2026-04-01T09:00:00+08:00');
    return fresh;
  }

  async function invitees(inviter: LoggedIn, cohortId: number, count: number): Promise<LoggedIn[]> {
    const { code } = await inviteCode(inviter, cohortId);
    const members: LoggedIn[] = [];
    for (let i = 0; i < count; i++) {
      const newcomer = await loginAs(t, newOpenid('invitee'));
      expect((await open(newcomer, { inviteCode: code, source: 'card' }).expect(200)).body.attributed).toBe(true);
      await t.http.post(`/api/v1/cohorts/${cohortId}/enrollments`).set(newcomer.auth).send({}).expect(200);
      members.push(newcomer);
    }
    return members;
  }

  afterAll(() => at(t, '2026-03-01T10:00:00+08:00'));

  it('pays the inviter the reward at the invitee\'s first check-in there, once', async () => {
    const running = await runningCohort();
    const inviter = await loginAs(t, newOpenid('rewarded'));
    const [invitee] = await invitees(inviter, running.id, 1);
    expect(await balanceOf(inviter)).toBe(0);

    await checkIn(invitee, running.id).expect(201);
    expect(await balanceOf(inviter)).toBe(20);
    const lines = await t.db.dataSource.manager.findBy(PointsLedgerLine, { memberId: inviter.memberId });
    expect(lines).toEqual([expect.objectContaining({ delta: 20, reason: 'invite_reward', refType: 'referral', idempotencyKey: `invite:${invitee.memberId}` })]);

    await at(t, '2026-04-02T09:00:00+08:00');
    await checkIn(invitee, running.id).expect(201);
    expect(await balanceOf(inviter)).toBe(20);
  });

  it('pays exactly once when the invitee\'s first check-ins race (today and two make-ups at once)', async () => {
    const running = await runningCohort({ makeUpCost: 0 });
    const inviter = await loginAs(t, newOpenid('racer-inviter'));
    const [invitee] = await invitees(inviter, running.id, 1);
    await at(t, '2026-04-03T09:00:00+08:00');
    const answers = await Promise.all([
      checkIn(invitee, running.id),
      checkIn(invitee, running.id, { text: '补第一天', makeUpDate: '2026-04-01' }),
      checkIn(invitee, running.id, { text: '补第二天', makeUpDate: '2026-04-02' }),
      checkIn(invitee, running.id),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 409]);
    expect(await balanceOf(inviter)).toBe(20);
    expect(await t.db.dataSource.manager.countBy(PointsLedgerLine, { memberId: inviter.memberId, reason: 'invite_reward' })).toBe(1);
  });

  it('rewards at most the cohort\'s limit of invitees per inviter, even when their first check-ins race', async () => {
    const running = await runningCohort({ inviteRewardLimit: 2, inviteRewardPoints: 25 });
    const inviter = await loginAs(t, newOpenid('popular'));
    const invited = await invitees(inviter, running.id, 5);
    const answers = await Promise.all(invited.map((member) => checkIn(member, running.id)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await balanceOf(inviter)).toBe(50);

    const { summary, items } = await invitationsOf(inviter);
    expect(summary).toEqual({ invited: 5, joined: 5, checkedIn: 5, earnedPoints: 50 });
    expect(items.map((item: { rewardPoints: number }) => item.rewardPoints).sort()).toEqual([0, 0, 0, 25, 25]);
  });

  it('counts the limit per cohort: the same inviter earns again in the next cohort', async () => {
    const first = await runningCohort({ inviteRewardLimit: 1 });
    const inviter = await loginAs(t, newOpenid('twice-inviter'));
    const [a, b] = await invitees(inviter, first.id, 2);
    await checkIn(a, first.id).expect(201);
    await checkIn(b, first.id).expect(201);
    expect(await balanceOf(inviter)).toBe(20);

    const second = await runningCohort({ inviteRewardLimit: 1 });
    const [c] = await invitees(inviter, second.id, 1);
    await checkIn(c, second.id).expect(201);
    expect(await balanceOf(inviter)).toBe(40);
  });

  it('pays nothing for a first check-in in another cohort than the one the invite was for', async () => {
    const invitedTo = await runningCohort();
    const elsewhere = await createCohort(t, operator, { startDate: '2026-04-01', title: '另一期' });
    const inviter = await loginAs(t, newOpenid('elsewhere-inviter'));
    const { code } = await inviteCode(inviter, invitedTo.id);
    const newcomer = await loginAs(t, newOpenid('wanderer'));
    await open(newcomer, { inviteCode: code, source: 'card' }).expect(200);
    await t.http.post(`/api/v1/cohorts/${elsewhere.id}/enrollments`).set(newcomer.auth).send({}).expect(200);
    await checkIn(newcomer, elsewhere.id).expect(201);
    expect(await balanceOf(inviter)).toBe(0);
  });

  it('pays nothing when the cohort sets the reward to 0, but still shows the check-in', async () => {
    const running = await runningCohort({ inviteRewardPoints: 0 });
    const inviter = await loginAs(t, newOpenid('no-reward'));
    const [invitee] = await invitees(inviter, running.id, 1);
    await checkIn(invitee, running.id).expect(201);
    expect(await balanceOf(inviter)).toBe(0);
    expect((await invitationsOf(inviter)).items[0]).toMatchObject({ checkedIn: true, rewardPoints: 0 });
  });
});

describe('my invitations', () => {
  it('lists whom I invited, newest first, who joined and checked in, paged', async () => {
    const inviter = await loginAs(t, newOpenid('lister'));
    const { code } = await inviteCode(inviter);
    const people: LoggedIn[] = [];
    for (let i = 0; i < 3; i++) {
      const newcomer = await loginAs(t, newOpenid('listed'));
      await open(newcomer, { inviteCode: code, source: i === 0 ? 'poster' : 'card' }).expect(200);
      people.push(newcomer);
    }
    await t.http.post(`/api/v1/cohorts/${cohort.id}/enrollments`).set(people[1].auth).send({}).expect(200);

    const firstPage = await invitationsOf(inviter, '?limit=2');
    expect(firstPage.summary).toEqual({ invited: 3, joined: 1, checkedIn: 0, earnedPoints: 0 });
    expect(firstPage.items.map((item: { invitee: { id: number } }) => item.invitee.id)).toEqual([people[2].memberId, people[1].memberId]);
    expect(firstPage.items[1]).toMatchObject({
      cohort: { id: cohort.id, title: '英语口语 7 天' }, source: 'card', joined: true, checkedIn: false, rewardPoints: null,
      invitee: { nickname: `学员${people[1].memberId}` },
    });
    const secondPage = await invitationsOf(inviter, `?limit=2&before=${firstPage.nextCursor}`);
    expect(secondPage.items).toHaveLength(1);
    expect(secondPage.items[0]).toMatchObject({ source: 'poster', joined: false });
    expect(secondPage.nextCursor).toBeNull();
  });

  it('is empty for someone who invited nobody', async () => {
    expect(await invitationsOf(await loginAs(t, newOpenid('quiet')))).toEqual({
      summary: { invited: 0, joined: 0, checkedIn: 0, earnedPoints: 0 }, items: [], nextCursor: null,
    });
  });
});

describe('the check-in hot path', () => {

  it('looks for an invitation inside the one read before the check-in\'s transaction, never with a statement of its own', async () => {
    await at(t, '2026-05-20T10:00:00+08:00');
    const running = await createCohort(t, operator, { startDate: '2026-06-01', title: '热路径' });
    const member = await joinAs(t, newOpenid('hot'), running.id);
    await at(t, '2026-06-01T09:00:00+08:00');
    const first = await statementsDuring(t.db.dataSource, () => checkIn(member, running.id).expect(201));
    await at(t, '2026-06-02T09:00:00+08:00');
    const second = await statementsDuring(t.db.dataSource, () => checkIn(member, running.id).expect(201));
    await at(t, '2026-03-01T10:00:00+08:00');

    // Issue 17: the read that settles whether the check-in may happen (enrollment, days done,
    // balance) also says whether an invitation waits for it.
    const aboutReferrals = (statements: string[]) => statements.filter((sql) => /referral/i.test(sql));
    for (const statements of [first, second]) {
      expect(aboutReferrals(statements)).toHaveLength(1);
      expect(aboutReferrals(statements)[0]).toMatch(/cohort_standing/);
    }
    expect(second.length).toBeLessThanOrEqual(first.length);
  });
});

describe('limits on the calls that can be abused', () => {
  let tight: TestApp;
  beforeAll(async () => {
    tight = await startTestApp({ env: { RATE_LIMIT_POSTER_CODE: '2/1h', RATE_LIMIT_REFERRAL: '3/1m' } });
    await at(tight, '2026-03-01T10:00:00+08:00');
  });
  afterAll(() => tight.close());

  it('poster codes: past the member\'s limit 429 RATE_LIMITED with Retry-After, and WeChat is not asked', async () => {
    const op = await operatorOf(tight);
    const cohorts = await Promise.all(['一', '二', '三'].map((n) => createCohort(tight, op, { startDate: '2026-03-02', title: `海报 ${n}` })));
    const mia = await loginAs(tight, 'mia');
    const wxaCode = tight.deps.wechat.wxaCode as FakeWxaCodeClient;
    for (const c of cohorts.slice(0, 2)) await tight.http.get(`/api/v1/cohorts/${c.id}/poster-code`).set(mia.auth).expect(200);
    const made = wxaCode.made.length;
    const refused = await tight.http.get(`/api/v1/cohorts/${cohorts[2].id}/poster-code`).set(mia.auth).expect(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(wxaCode.made.length).toBe(made);
    // Another member has their own allowance.
    await tight.http.get(`/api/v1/cohorts/${cohorts[2].id}/poster-code`).set((await loginAs(tight, 'noa')).auth).expect(200);
  }, 30_000);

  it('opens of shares: counted per member, and per client address before login', async () => {
    const op = await operatorOf(tight);
    const c = await createCohort(tight, op, { startDate: '2026-03-02', title: '打开次数' });
    const ina = await loginAs(tight, 'ina');
    const { code } = (await tight.http.get(`/api/v1/me/invite-code?cohortId=${c.id}`).set(ina.auth).expect(200)).body;
    const opener = await loginAs(tight, 'opener');
    const openAs = (who: LoggedIn | null, address: string) => {
      const request = tight.http.post('/api/v1/referrals').set('X-Forwarded-For', address);
      return (who ? request.set(who.auth) : request).send({ inviteCode: code, source: 'card' });
    };
    for (let i = 0; i < 3; i++) await openAs(opener, '203.0.113.7').expect(200);
    expect((await openAs(opener, '203.0.113.8').expect(429)).body.error.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 3; i++) await openAs(null, '203.0.113.9').expect(200);
    await openAs(null, '203.0.113.9').expect(429);
    await openAs(null, '203.0.113.10').expect(200);
    expect(await tight.db.dataSource.manager.countBy(ReferralOpen, { cohortId: c.id })).toBe(7);
  });

  it('WeChat\'s own limit on codes (45009) is 429 WXACODE_RATE_LIMITED with Retry-After: 60', async () => {
    const limited = { unlimited: async () => { throw wxaCodeRateLimited(); } };
    const app = await startTestApp({ wechat: { wxaCode: limited } });
    try {
      await at(app, '2026-03-01T10:00:00+08:00');
      const c = await createCohort(app, await operatorOf(app), { startDate: '2026-03-02' });
      const answer = await app.http.get(`/api/v1/cohorts/${c.id}/poster-code`).set((await loginAs(app, 'lee')).auth).expect(429);
      expect(answer.body.error.code).toBe('WXACODE_RATE_LIMITED');
      expect(answer.headers['retry-after']).toBe('60');
    } finally {
      await app.close();
    }
  });
});
