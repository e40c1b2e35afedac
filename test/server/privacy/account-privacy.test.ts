import { Checkin } from '../../../server/src/modules/checkin/checkin.entity';
import { Member } from '../../../server/src/modules/identity/member.entity';
import { CheckinComment, CheckinLike } from '../../../server/src/modules/interaction/interaction.entities';
import { MallRedemption } from '../../../server/src/modules/mall/mall.entities';
import { exportedColumns, privacyCoverage } from '../../../server/src/modules/privacy/privacy-coverage';
import { Review } from '../../../server/src/modules/review/review.entity';
import { Upload } from '../../../server/src/modules/upload/upload.entity';
import { expectBalancesMatchLedger } from '../support/cohort-helpers';
import { MemoryStorage } from '../support/memory-storage';
import { loginAs, startTestApp, type TestApp } from '../support/test-app';
import { memberWithEverything, type Everything } from './member-with-everything';

/** Issue 15: GET /me/data-export and DELETE /me, on a member who has something in every table. */
// Building the member who has everything takes some 60 requests: on MariaDB more than the default 5 s.
jest.setTimeout(30_000);
let t: TestApp;
let storage: MemoryStorage;
let e: Everything;

beforeAll(async () => {
  storage = new MemoryStorage();
  t = await startTestApp({ storage });
  e = await memberWithEverything(t, 'px');
});
afterAll(() => t.close());

const countWhere = async (table: string, column: string, memberId: number) =>
  Number((await t.db.dataSource.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, [memberId]))[0].n);

describe('the privacy coverage (an entity walk)', () => {
  it('names every table of the schema, and every column that refers to a member', () => {
    const problems: string[] = [];
    for (const metadata of t.db.dataSource.entityMetadatas) {
      const coverage = privacyCoverage[metadata.tableName];
      if (!coverage) {
        problems.push(`${metadata.tableName}: not in privacy-coverage.ts (exported and deleted how, or why it holds no member's data?)`);
        continue;
      }
      const named = new Set([...('member' in coverage ? Object.keys(coverage.member) : []), ...Object.keys(coverage.actors ?? {})]);
      for (const foreignKey of metadata.foreignKeys) {
        if (foreignKey.referencedTablePath !== 'member') continue;
        for (const column of foreignKey.columnNames) {
          if (!named.has(column)) problems.push(`${metadata.tableName}.${column} refers to a member but privacy-coverage.ts does not say what happens to it`);
        }
      }
      for (const column of named) {
        if (!metadata.findColumnWithDatabaseName(column)) problems.push(`${metadata.tableName}.${column}: no such column`);
      }
    }
    for (const table of Object.keys(privacyCoverage)) {
      if (!t.db.dataSource.entityMetadatas.some((m) => m.tableName === table)) problems.push(`${table}: listed but no entity maps it`);
    }
    expect(problems).toEqual([]);
  });
});

describe('GET /me/data-export', () => {
  let data: Record<string, unknown>;
  beforeAll(async () => {
    data = (await t.http.get('/api/v1/me/data-export').set(e.member.auth).expect(200)).body;
  });

  it('carries every row of every table that refers to the member (the fixture has rows in each)', async () => {
    for (const { table, column, section } of exportedColumns()) {
      const stored = await countWhere(table, column, e.member.memberId);
      const exported = data[section];
      const count = Array.isArray(exported) ? exported.length : exported ? 1 : 0;
      expect({ table, column, stored: stored > 0, count }).toEqual({ table, column, stored: true, count: stored });
    }
  });

  it('holds what the member would look for: the text and photo links of check-ins, comments, addresses, reviews received; no secrets', () => {
    const checkins = data.checkins as Array<{ text: string; photoUrls: string[]; audioUrl: string | null }>;
    expect(checkins[0]).toMatchObject({ text: '我的第一天：自我介绍', photoUrls: e.photoUrls, audioUrl: `/uploads/${e.audioKey}` });
    expect(data.profile).toMatchObject({ id: e.member.memberId, nickname: '小明同学', avatarUrl: e.avatarUrl });
    expect((data.comments as Array<{ text: string }>)[0].text).toContain('13800138000');
    expect((data.redemptions as Array<{ address: { name: string } }>).map((r) => r.address.name)).toEqual(['张三', '张三']);
    expect((data.reviewsOfMyCheckins as Array<{ text: string }>).map((r) => r.text)).toEqual(['很好的自我介绍']);
    expect((data.uploads as Array<{ url: string }>).map((u) => u.url)).toEqual(expect.arrayContaining([...e.photoUrls, e.avatarUrl]));
    const text = JSON.stringify(data);
    expect(text).not.toContain('sessionKey');
    expect(text).not.toContain('tokenHash');
    expect(text).not.toContain('paySign');
  });

  it('is rate-limited per member', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await t.http.get('/api/v1/me/data-export').set(e.other.auth)).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('DELETE /me', () => {
  let before: Record<string, number>;
  let answer: { status: number; body: Record<string, unknown> }[];

  beforeAll(async () => {
    before = {};
    for (const { table, column } of exportedColumns()) before[`${table}.${column}`] = await countWhere(table, column, e.member.memberId);
    // Two phones delete at once: the second is answered as done, or finds its login already ended.
    answer = await Promise.all([t.http.delete('/api/v1/me').set(e.member.auth), t.http.delete('/api/v1/me').set(e.member.auth)]);
  });

  it('answers 200 (a twin call 200 too, or 401 once the logins are gone); the pending redemption was cancelled and refunded first; files are gone', async () => {
    const done = answer.filter((a) => a.status === 200);
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(answer.filter((a) => a.status !== 200).map((a) => a.status)).toEqual(Array(2 - done.length).fill(401));
    expect(new Set(done.map((a) => a.body.deletedAt)).size).toBe(1);
    expect(done.map((a) => a.body.redemptionsCancelled)).toEqual(done.map(() => 1));
    expect(done.reduce((n, a) => n + Number(a.body.filesDeleted), 0)).toBe(4);
    const pending = await t.db.dataSource.manager.findOneByOrFail(MallRedemption, { id: e.pendingRedemptionId });
    expect(pending.state).toBe('cancelled');
    const refund = await t.db.dataSource.query("SELECT delta FROM points_ledger WHERE ref_type = 'redemption' AND ref_id = ? AND delta > 0", [e.pendingRedemptionId]);
    expect(refund.map((r: { delta: number }) => Number(r.delta))).toEqual([100]);
    await expectBalancesMatchLedger(t);
    for (const url of [...e.photoUrls, e.avatarUrl]) expect(storage.objects.has(url.replace('/uploads/', ''))).toBe(false);
    expect(storage.objects.has(e.audioKey)).toBe(false);
    expect(await t.db.dataSource.manager.countBy(Upload, { ownerId: e.member.memberId })).toBe(0);
  });

  it('revokes every token: the old one answers 401, and a retried DELETE too', async () => {
    await t.http.get('/api/v1/me').set(e.member.auth).expect(401);
    await t.http.delete('/api/v1/me').set(e.member.auth).expect(401);
  });

  it('is idempotent: deleting the deleted account again changes nothing and answers the same instant', async () => {
    const again = await t.modules.accountDeletion.deleteAccount({ memberId: e.member.memberId, roles: ['member'], tokenHash: 'gone' });
    expect(again).toEqual({ deleted: true, deletedAt: answer.find((a) => a.status === 200)!.body.deletedAt, redemptionsCancelled: 1, filesDeleted: 0 });
  });

  it('deletes the rows marked delete, keeps the accounting and counts, anonymizes the rest', async () => {
    for (const { table, column, deletion } of exportedColumns()) {
      const after = await countWhere(table, column, e.member.memberId);
      // The refund of the cancelled redemption is one more ledger line.
      const expected = deletion === 'delete' ? 0 : before[`${table}.${column}`] + (table === 'points_ledger' ? 1 : 0);
      expect({ table, column, after }).toEqual({ table, column, after: expected });
    }
    const member = await t.db.dataSource.manager.findOneByOrFail(Member, { id: e.member.memberId });
    expect(member).toMatchObject({ nickname: '已注销用户', avatarUrl: null, sessionKey: null, unionid: null });
    expect(member.openid).not.toContain('px-member');
    expect(member.deletedAt).not.toBeNull();
    const checkin = await t.db.dataSource.manager.findOneByOrFail(Checkin, { id: e.memberCheckinId });
    expect(checkin).toMatchObject({ text: '', imageKeys: [], audioKey: null, likeCount: 1, moderation: 'rejected' });
    expect(await t.db.dataSource.manager.countBy(Review, { checkinId: e.memberCheckinId })).toBe(0);
    const redemptions = await t.db.dataSource.manager.findBy(MallRedemption, { memberId: e.member.memberId });
    expect(redemptions.map((r) => [r.state, r.address, r.pointsTotal]).sort()).toEqual([['cancelled', null, 100], ['fulfilled', null, 100]]);
    const othersCheckin = await t.db.dataSource.manager.findOneByOrFail(Checkin, { id: e.otherCheckinId });
    expect(othersCheckin).toMatchObject({ commentCount: 0, likeCount: 1 });
    expect(await t.db.dataSource.manager.countBy(CheckinLike, { checkinId: e.otherCheckinId })).toBe(1);
    expect((await t.db.dataSource.manager.findOneByOrFail(Review, { checkinId: e.otherCheckinId })).text).toBe('发音清楚，继续保持');
    // The other member's own content is untouched, their comment under the emptied check-in too.
    expect((await t.db.dataSource.manager.findBy(CheckinComment, { memberId: e.other.memberId })).map((c) => c.text)).toEqual(['加油！']);
    expect(othersCheckin.text).toBe('Day one from the other member');
  });

  it('takes the emptied check-ins out of the feed and the review queue; the leaderboard keeps the counts under 已注销用户', async () => {
    const feed = (await t.http.get(`/api/v1/cohorts/${e.cohort.id}/checkins`).set(e.other.auth).expect(200)).body.items;
    expect(feed.map((c: { id: number }) => c.id)).toEqual([e.otherCheckinId]);
    const operatorFeed = (await t.http.get(`/api/v1/cohorts/${e.cohort.id}/checkins`).set(e.operator.auth).expect(200)).body.items;
    expect(operatorFeed.map((c: { id: number }) => c.id)).toEqual([e.otherCheckinId]);
    const board = (await t.http.get(`/api/v1/cohorts/${e.cohort.id}/leaderboard?by=points`).set(e.other.auth).expect(200)).body.items;
    expect(board.map((row: { member: { nickname: string } }) => row.member.nickname)).toContain('已注销用户');
  });

  it('leaves nothing of the member in the notices others received: the comment\'s notice is gone, the likes notice names 已注销用户', async () => {
    const inbox = (await t.http.get('/api/v1/me/notifications').set(e.other.auth).expect(200)).body.items as Array<{ kind: string; data: Record<string, string> }>;
    expect(JSON.stringify(inbox)).not.toContain('小明同学');
    expect(JSON.stringify(inbox)).not.toContain('13800138000');
    expect(inbox.filter((n) => n.kind === 'comment')).toEqual([]);
    expect(inbox.filter((n) => n.kind === 'likes').map((n) => n.data.latest)).toEqual(['已注销用户']);
  });

  it('lets the same WeChat account log in again as a new member with nothing', async () => {
    const again = await loginAs(t, 'px-member');
    expect(again.memberId).not.toBe(e.member.memberId);
    const me = (await t.http.get('/api/v1/me').set(again.auth).expect(200)).body;
    expect(me.roles).toEqual(['member']);
    expect((await t.http.get('/api/v1/me/points').set(again.auth).expect(200)).body.balance).toBe(0);
  });

  it('never lets anyone log into the anonymized row, nor take its name', async () => {
    const member = await t.db.dataSource.manager.findOneByOrFail(Member, { id: e.member.memberId });
    await t.http.post('/api/v1/auth/wechat-login').send({ code: `fake:${member.openid}` }).expect(401);
    await t.http.put('/api/v1/me').set(e.other.auth).send({ nickname: '已注销用户' }).expect(400);
  });
});
