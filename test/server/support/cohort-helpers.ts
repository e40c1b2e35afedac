import { randomBytes } from 'node:crypto';
import { fakeSessionKeyFor } from '../../../server/src/platform/wechat/fake-wechat-auth';
import { encryptLikeWeChat } from '../../../server/src/platform/wechat/wechat-crypto';
import { loginAs, ROOT_OPERATOR_OPENID, type LoggedIn, type TestApp } from './test-app';

/** The appid fake mode puts in watermarks unless WECHAT_APPID is set. */
export const FAKE_APPID = 'wx-fake-appid';

/** Sets the server clock through the test clock endpoint, e.g. `at(t, '2026-03-01T09:00:00+08:00')`. */
export async function at(t: TestApp, instant: string): Promise<void> {
  await t.http.post('/api/v1/dev/clock').send({ now: instant }).expect(200);
}

export async function operatorOf(t: TestApp): Promise<LoggedIn> {
  return loginAs(t, ROOT_OPERATOR_OPENID);
}

export async function teacherOf(t: TestApp, operator: LoggedIn, openid: string): Promise<LoggedIn> {
  const teacher = await loginAs(t, openid);
  await t.http.post(`/api/v1/admin/members/${teacher.memberId}/roles`).set(operator.auth).send({ roles: ['teacher'] }).expect(200);
  return teacher;
}

export interface CohortFixture {
  id: number;
  startDate: string;
}

export async function createCohort(
  t: TestApp,
  operator: LoggedIn,
  overrides: Record<string, unknown> = {},
): Promise<CohortFixture> {
  const answer = await t.http
    .post('/api/v1/cohorts')
    .set(operator.auth)
    .send({ title: '英语口语 7 天', theme: 'spoken-english', durationDays: 7, startDate: '2026-03-02', ...overrides });
  if (answer.status !== 201) throw new Error(`createCohort: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { id: answer.body.id, startDate: answer.body.startDate };
}

export async function joinAs(t: TestApp, openid: string, cohortId: number): Promise<LoggedIn> {
  const member = await loginAs(t, openid);
  await t.http.post(`/api/v1/cohorts/${cohortId}/enrollments`).set(member.auth).send({}).expect(200);
  return member;
}

export interface ProofOptions {
  appId?: string;
  /** Seconds since the epoch; defaults to `issuedAt`. */
  timestamp?: number;
  spelling?: 'opengid' | 'openGId';
  /** Encrypt with this openid's session key instead of the member's own. */
  sessionOf?: string;
}

/** A group proof exactly as wx.getGroupEnterInfo would hand it to the member `openid` in fake mode. */
export function groupProof(openid: string, opengid: string, issuedAt: Date, options: ProofOptions = {}) {
  const payload = {
    [options.spelling ?? 'opengid']: opengid,
    chat_type: 1,
    watermark: { appid: options.appId ?? FAKE_APPID, timestamp: options.timestamp ?? Math.floor(issuedAt.getTime() / 1000) },
  };
  return encryptLikeWeChat(payload, fakeSessionKeyFor(options.sessionOf ?? openid), randomBytes(16));
}

/** Binds `opengid` to the cohort as the operator, through the API. */
export async function bindGroup(t: TestApp, operator: LoggedIn, operatorOpenid: string, cohortId: number, opengid: string, now: Date) {
  await t.http
    .post(`/api/v1/cohorts/${cohortId}/group`)
    .set(operator.auth)
    .send(groupProof(operatorOpenid, opengid, now))
    .expect(200);
}

/** DESIGN §4: for every member, balance == sum of ledger lines, and no balance is negative. */
export async function expectBalancesMatchLedger(t: TestApp): Promise<void> {
  const rows: Array<{ memberId: number; balance: number | null; ledger: number | null }> = await t.db.dataSource.query(`
    SELECT m.id AS memberId, p.balance AS balance,
           (SELECT SUM(l.delta) FROM points_ledger l WHERE l.member_id = m.id) AS ledger
    FROM member m LEFT JOIN member_points p ON p.member_id = m.id`);
  for (const row of rows) {
    const balance = Number(row.balance ?? 0);
    const ledger = Number(row.ledger ?? 0);
    if (balance !== ledger || balance < 0) {
      throw new Error(`member ${row.memberId}: balance ${balance} but ledger sums to ${ledger}`);
    }
  }
}
