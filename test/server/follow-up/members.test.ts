import ExcelJS from 'exceljs';
import { at, createCohort, joinAs, operatorOf, teacherOf, type CohortFixture } from '../support/cohort-helpers';
import { loginAs, startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

let t: TestApp;
let operator: LoggedIn;
let teacher: LoggedIn;
let otherTeacher: LoggedIn;
let cohort: CohortFixture;
const people: Record<string, LoggedIn> = {};

const day = (n: number, time = '10:00') => `2026-03-${String(1 + n).padStart(2, '0')}T${time}:00+08:00`;
const checkIn = (who: LoggedIn, body: object = {}) =>
  t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(who.auth).send({ text: '今天读了一段', ...body }).expect(201);
const members = (who: LoggedIn, query = '') => t.http.get(`/api/v1/cohorts/${cohort.id}/members${query}`).set(who.auth);
const idsOf = (body: { items: Array<{ member: { id: number } }> }) => body.items.map((row) => row.member.id).sort((a, b) => a - b);
const idOf = (...names: string[]) => names.map((n) => people[n].memberId).sort((a, b) => a - b);

/**
 * A 7-day cohort starting 2026-03-02 (day n is 2026-03-(n+1)), seen on day 5:
 * ann every day; bob days 1-3 and 5, with day 4 made up; cat day 1, then left; dan never; eve days 1-3.
 */
beforeAll(async () => {
  t = await startTestApp();
  await at(t, '2026-03-01T10:00:00+08:00');
  operator = await operatorOf(t);
  teacher = await teacherOf(t, operator, 'fu-teacher');
  otherTeacher = await teacherOf(t, operator, 'fu-other-teacher');
  cohort = await createCohort(t, operator, { title: '英语口语 · 第3期', teacherIds: [teacher.memberId] });
  await createCohort(t, operator, { title: '别的班', teacherIds: [otherTeacher.memberId] });
  for (const name of ['ann', 'bob', 'cat', 'dan', 'eve']) people[name] = await joinAs(t, `fu-${name}`, cohort.id);
  await t.http.put('/api/v1/me').set(people.ann.auth).send({ nickname: '=HYPERLINK("http://x")' }).expect(200);
  for (let n = 1; n <= 5; n++) {
    await at(t, day(n));
    await checkIn(people.ann);
    if (n <= 3 || n === 5) await checkIn(people.bob);
    if (n === 1) await checkIn(people.cat);
    if (n <= 3) await checkIn(people.eve);
    if (n === 5) await checkIn(people.bob, { makeUpDate: '2026-03-05' });
  }
  await t.http.delete(`/api/v1/cohorts/${cohort.id}/enrollments/me`).set(people.cat.auth).expect(200);
});
afterAll(() => t.close());

describe('the members of a cohort', () => {
  it('show progress, points, tags and follow-up per member, in join order', async () => {
    const answer = await members(teacher).expect(200);
    expect(answer.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
    const byName = Object.fromEntries(answer.body.items.map((row: { member: { id: number } }) => [Object.keys(people).find((n) => people[n].memberId === row.member.id), row]));
    expect(byName.ann).toMatchObject({
      member: { nickname: '=HYPERLINK("http://x")' }, status: 'active', daysDone: 5, makeUps: 0, streak: { current: 5, longest: 5 },
      checkedInToday: true, lastCheckinDay: 5, points: 50, payments: [], tags: [], followUp: null,
    });
    expect(byName.bob).toMatchObject({ daysDone: 5, makeUps: 1, streak: { current: 5, longest: 5 }, checkedInToday: true, points: 50 });
    expect(byName.cat).toMatchObject({ status: 'left', daysDone: 1, streak: { current: 0, longest: 1 }, checkedInToday: false });
    expect(byName.dan).toMatchObject({ daysDone: 0, points: 0, lastCheckinDay: null });
    expect(byName.eve).toMatchObject({ daysDone: 3, streak: { current: 0, longest: 3 }, checkedInToday: false });
    expect(answer.body.items.map((row: { member: { id: number } }) => row.member.id)).toEqual(idOf('ann', 'bob', 'cat', 'dan', 'eve'));
  });

  it('filter by segment: today, streak, left, active, with counts per segment', async () => {
    expect(idsOf((await members(teacher, '?segment=checked-in-today').expect(200)).body)).toEqual(idOf('ann', 'bob'));
    expect(idsOf((await members(teacher, '?segment=missed-today').expect(200)).body)).toEqual(idOf('dan', 'eve'));
    expect(idsOf((await members(teacher, '?segment=streak&minStreak=5').expect(200)).body)).toEqual(idOf('ann', 'bob'));
    expect(idsOf((await members(teacher, '?segment=streak&minStreak=6').expect(200)).body)).toEqual([]);
    expect(idsOf((await members(teacher, '?segment=left').expect(200)).body)).toEqual(idOf('cat'));
    expect(idsOf((await members(teacher, '?segment=active').expect(200)).body)).toEqual(idOf('ann', 'bob', 'dan', 'eve'));
    expect(idsOf((await members(teacher, '?q=%3DHYPER').expect(200)).body)).toEqual(idOf('ann'));
    expect(idsOf((await members(teacher, `?q=${people.dan.memberId}`).expect(200)).body)).toEqual(idOf('dan'));
    // Counts use the segments' defaults: a streak of at least 7 days.
    const counts = await t.http.get(`/api/v1/cohorts/${cohort.id}/members/segments`).set(teacher.auth).expect(200);
    expect(counts.body).toMatchObject({ all: 5, active: 4, 'checked-in-today': 2, 'missed-today': 2, streak: 0, completed: 0, left: 1, 'not-paid': 4, paid: 0 });
  });

  it('page with limit and offset, keeping the total', async () => {
    const first = await members(teacher, '?limit=2').expect(200);
    const second = await members(teacher, '?limit=2&offset=2').expect(200);
    expect(first.body.total).toBe(5);
    expect([...first.body.items, ...second.body.items].map((r: { member: { id: number } }) => r.member.id)).toEqual(idOf('ann', 'bob', 'cat', 'dan'));
    expect((await members(teacher, '?limit=101').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await members(teacher, '?segment=everyone').expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('are for operators and the cohort\'s own teachers only', async () => {
    expect((await members(people.ann).expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await members(otherTeacher).expect(403)).body.error.code).toBe('FORBIDDEN');
    await members(operator).expect(200);
    await t.http.get(`/api/v1/cohorts/${cohort.id}/members/segments`).set(people.ann.auth).expect(403);
    await t.http.get(`/api/v1/cohorts/${cohort.id}/members/${people.ann.memberId}/follow-ups`).set(people.bob.auth).expect(403);
    await t.http.post(`/api/v1/cohorts/${cohort.id}/members/tags`).set(people.ann.auth).send({ memberIds: [people.ann.memberId], add: [1] }).expect(403);
    expect((await t.http.get('/api/v1/cohorts/99999/members').set(operator.auth).expect(404)).body.error.code).toBe('NOT_FOUND');
  });
});

describe('tags', () => {
  it('come with the four user types; operators define more, teachers cannot', async () => {
    const tags = await t.http.get('/api/v1/tags').set(teacher.auth).expect(200);
    expect(tags.body.items.map((tag: { name: string }) => tag.name)).toEqual(['忠实用户', '潜力用户', '价格敏感', '需求较低']);
    await t.http.post('/api/v1/tags').set(teacher.auth).send({ name: '老学员' }).expect(403);
    const made = await t.http.post('/api/v1/tags').set(operator.auth).send({ name: '老学员', color: '#ee0a24' }).expect(201);
    expect(made.body).toMatchObject({ name: '老学员', color: '#ee0a24' });
    expect((await t.http.post('/api/v1/tags').set(operator.auth).send({ name: '老学员' }).expect(409)).body.error.code).toBe('TAG_EXISTS');
    await t.http.get('/api/v1/tags').set(people.ann.auth).expect(403);
  });

  it('go on many members at once, all or nothing, and filter the table', async () => {
    const tags = (await t.http.get('/api/v1/tags').set(teacher.auth)).body.items as Array<{ id: number; name: string }>;
    const loyal = tags.find((tag) => tag.name === '忠实用户')!;
    const potential = tags.find((tag) => tag.name === '潜力用户')!;
    const path = `/api/v1/cohorts/${cohort.id}/members/tags`;
    const stranger = await loginAs(t, 'fu-stranger');
    const refused = await t.http.post(path).set(teacher.auth).send({ memberIds: [people.ann.memberId, stranger.memberId], add: [loyal.id] }).expect(400);
    expect(refused.body.error.message).toContain(String(stranger.memberId));
    expect(idsOf((await members(teacher, `?tag=${loyal.id}`)).body)).toEqual([]);
    await t.http.post(path).set(teacher.auth).send({ memberIds: [people.ann.memberId, people.bob.memberId], add: [loyal.id, potential.id] }).expect(200);
    await t.http.post(path).set(teacher.auth).send({ memberIds: [people.bob.memberId], remove: [loyal.id] }).expect(200);
    expect(idsOf((await members(teacher, `?tag=${loyal.id}`)).body)).toEqual(idOf('ann'));
    expect(idsOf((await members(teacher, `?tag=${potential.id}&segment=checked-in-today`)).body)).toEqual(idOf('ann', 'bob'));
    const ann = (await members(teacher, `?q=${people.ann.memberId}`)).body.items[0];
    expect(ann.tags.map((tag: { name: string }) => tag.name)).toEqual(['忠实用户', '潜力用户']);
    expect((await t.http.post(path).set(teacher.auth).send({ memberIds: [people.ann.memberId], add: [98765] }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('deleted come off every member', async () => {
    const made = await t.http.post('/api/v1/tags').set(operator.auth).send({ name: '临时' }).expect(201);
    await t.http.post(`/api/v1/cohorts/${cohort.id}/members/tags`).set(operator.auth).send({ memberIds: [people.dan.memberId], add: [made.body.id] }).expect(200);
    await t.http.delete(`/api/v1/tags/${made.body.id}`).set(teacher.auth).expect(403);
    await t.http.delete(`/api/v1/tags/${made.body.id}`).set(operator.auth).expect(204);
    expect((await members(teacher, `?q=${people.dan.memberId}`)).body.items[0].tags).toEqual([]);
    await t.http.delete(`/api/v1/tags/${made.body.id}`).set(operator.auth).expect(404);
  });
});

describe('follow-ups', () => {
  it('keep a history of who contacted whom, when, and the member\'s current state', async () => {
    const path = `/api/v1/cohorts/${cohort.id}/members/${people.eve.memberId}/follow-ups`;
    const empty = await t.http.get(path).set(teacher.auth).expect(200);
    expect(empty.body).toEqual({ state: 'not_contacted', note: null, updatedAt: null, history: [] });
    await at(t, day(5, '11:00'));
    await t.http.post(path).set(teacher.auth).send({ state: 'contacted', note: '微信聊了，说这周忙' }).expect(201);
    await at(t, day(5, '15:30'));
    const latest = await t.http.post(path).set(operator.auth).send({ state: 'converted', note: '报了下一期' }).expect(201);
    expect(latest.body).toMatchObject({ state: 'converted', note: '报了下一期', updatedAt: '2026-03-06T07:30:00.000Z' });
    expect(latest.body.history).toEqual([
      expect.objectContaining({ state: 'converted', note: '报了下一期', by: { id: operator.memberId, nickname: expect.any(String) }, createdAt: '2026-03-06T07:30:00.000Z' }),
      expect.objectContaining({ state: 'contacted', note: '微信聊了，说这周忙', by: { id: teacher.memberId, nickname: expect.any(String) }, createdAt: '2026-03-06T03:00:00.000Z' }),
    ]);
    const row = (await members(teacher, `?q=${people.eve.memberId}`)).body.items[0];
    expect(row.followUp).toMatchObject({ state: 'converted', note: '报了下一期', by: { id: operator.memberId } });
    expect(idsOf((await members(teacher, '?followUp=converted')).body)).toEqual(idOf('eve'));
    expect(idsOf((await members(teacher, '?followUp=not_contacted')).body)).toEqual(idOf('ann', 'bob', 'cat', 'dan'));
  });

  it('refuse a bad state and a member of another cohort', async () => {
    const path = `/api/v1/cohorts/${cohort.id}/members/${people.eve.memberId}/follow-ups`;
    expect((await t.http.post(path).set(teacher.auth).send({ state: 'maybe' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    const stranger = await loginAs(t, 'fu-stranger-2');
    await t.http.post(`/api/v1/cohorts/${cohort.id}/members/${stranger.memberId}/follow-ups`).set(teacher.auth).send({ state: 'contacted' }).expect(404);
  });
});

describe('staff text (notes, tag names, reasons)', () => {
  it('loses invisible and direction-changing characters, and control characters are refused with the field named', async () => {
    const path = `/api/v1/cohorts/${cohort.id}/members/${people.dan.memberId}/follow-ups`;
    // A right-to-left override and zero-width spaces, as pasted from a chat.
    const saved = await t.http.post(path).set(teacher.auth).send({ state: 'contacted', note: '\u202e回电\u200b话\u2066，周五再约\ufeff' }).expect(201);
    expect(saved.body.note).toBe('回电话，周五再约');
    const refused = await t.http.post(path).set(teacher.auth).send({ state: 'contacted', note: '再约\u0000' }).expect(400);
    expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.note', message: expect.stringContaining('U+0000') }] });
    expect((await t.http.get(path).set(teacher.auth)).body.history).toHaveLength(1);

    const tag = await t.http.post('/api/v1/tags').set(operator.auth).send({ name: '\u200b待\u200d回访\u202c' }).expect(201);
    expect(tag.body.name).toBe('待回访');
    const blank = await t.http.post('/api/v1/tags').set(operator.auth).send({ name: '\u200b\u3164' }).expect(400);
    expect(blank.body.error.details[0].path).toBe('body.name');
    await t.http.delete(`/api/v1/tags/${tag.body.id}`).set(operator.auth).expect(204);

    const removal = await t.http.post(`/api/v1/cohorts/${cohort.id}/members/${people.dan.memberId}/removal`).set(operator.auth).send({ reason: 'x\u0007' }).expect(400);
    expect(removal.body.error.details[0].path).toBe('body.reason');
    expect((await members(operator, '?segment=left')).body.items.map((row: { member: { id: number } }) => row.member.id)).not.toContain(people.dan.memberId);
  });
});

describe('payments per round and the conversion segments', () => {
  it('show which round each member paid in', async () => {
    await at(t, '2026-03-09T10:00:00+08:00');
    const offer = await t.http.post(`/api/v1/cohorts/${cohort.id}/offers`).set(operator.auth).send({ round: 1, title: '进阶课', priceFen: 19900 }).expect(201);
    for (const name of ['ann', 'bob']) {
      const order = await t.http.post(`/api/v1/offers/${offer.body.id}/orders`).set(people[name].auth).send({}).expect(201);
      if (name === 'ann') await t.http.post(`/api/v1/dev/orders/${order.body.order.id}/pay`).set(people[name].auth).send({}).expect(200);
    }
    const rows = (await members(operator, '?segment=all')).body.items as Array<{ member: { id: number }; payments: unknown[] }>;
    expect(rows.find((r) => r.member.id === people.ann.memberId)!.payments).toEqual([{ round: 1, state: 'paid', amountFen: 19900 }]);
    expect(rows.find((r) => r.member.id === people.bob.memberId)!.payments).toEqual([{ round: 1, state: 'unpaid', amountFen: 19900 }]);
    expect(idsOf((await members(operator, '?segment=paid&round=1')).body)).toEqual(idOf('ann'));
    expect(idsOf((await members(operator, '?segment=paid&round=2')).body)).toEqual([]);
    expect(idsOf((await members(operator, '?segment=not-paid')).body)).toEqual(idOf('bob', 'dan', 'eve'));
    // After the last day nobody is "today": the cohort is converting.
    expect(idsOf((await members(operator, '?segment=checked-in-today')).body)).toEqual([]);
  });
});

describe('exports', () => {
  it('stream the filtered members as CSV with a BOM, formula-looking text kept as text, and are audited', async () => {
    const answer = await members(teacher, '?segment=active&format=csv').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="cohort-\d+-members-active-2026-03-09\.csv"$/);
    const text = (answer.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\n');
    expect(lines[0]).toBe('学员ID,昵称,状态,加入时间,已打卡天数,补卡,当前连续,最长连续,今日已打卡,本期积分,第1轮,第2轮,第3轮,标签,跟进状态,跟进备注,跟进人,跟进时间');
    expect(lines).toHaveLength(5);
    const ann = lines.find((line) => line.startsWith(`${people.ann.memberId},`))!;
    expect(ann).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(ann).toContain('已付 ¥199.00');
    expect(ann).toContain('2026-03-01 10:00');
    const audit = await t.http.get(`/api/v1/admin/audit?cohortId=${cohort.id}`).set(operator.auth).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'members.export', actor: { id: teacher.memberId }, details: { format: 'csv', segment: 'active' } });
  });

  it('stream XLSX that a spreadsheet program opens', async () => {
    const answer = await members(operator, '?format=xlsx').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(answer.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(answer.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('英语口语 · 第3期');
    expect(sheet.rowCount).toBe(6);
    expect(sheet.getRow(1).getCell(2).value).toBe('昵称');
    const values = sheet.getRow(2).values as unknown[];
    expect(values.slice(1, 5)).toEqual([people.ann.memberId, '=HYPERLINK("http://x")', '在读', '2026-03-01 10:00']);
    expect(sheet.getRow(2).getCell(2).type).toBe(ExcelJS.ValueType.String);
  });

  it('are refused to members', async () => {
    await members(people.ann, '?format=csv').expect(403);
  });
});

describe('the staff overview and one person', () => {
  it('list a teacher\'s cohorts with today\'s numbers, and every cohort for an operator', async () => {
    await at(t, day(5, '12:00'));
    const mine = await t.http.get('/api/v1/staff/cohorts').set(teacher.auth).expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ id: cohort.id, status: 'running', dayIndex: 5, members: 4, checkedInToday: 2, pendingReviews: 14, heldPosts: 0 }),
    ]);
    expect((await t.http.get('/api/v1/staff/cohorts').set(operator.auth).expect(200)).body.items).toHaveLength(2);
    await t.http.get('/api/v1/staff/cohorts').set(people.ann.auth).expect(403);
  });

  it('show an operator one member\'s roles, balance, cohorts and points', async () => {
    const answer = await t.http.get(`/api/v1/admin/members/${people.cat.memberId}`).set(operator.auth).expect(200);
    expect(answer.body).toMatchObject({
      member: { id: people.cat.memberId, roles: ['member'] }, balance: 10,
      cohorts: [{ id: cohort.id, membership: 'left' }], points: [{ delta: 10, reason: 'checkin' }],
    });
    await t.http.get(`/api/v1/admin/members/${people.cat.memberId}`).set(teacher.auth).expect(403);
    await t.http.get('/api/v1/admin/members/99999').set(operator.auth).expect(404);
  });
});
