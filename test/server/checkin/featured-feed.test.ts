import { at, createCohort, joinAs, operatorOf, teacherOf } from '../support/cohort-helpers';
import { startTestApp, type LoggedIn, type TestApp } from '../support/test-app';

/** DESIGN §4 "Featured": a teacher's featured check-ins come first in the feed (newest first), then the rest. */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { CONTENT_REVIEW_WORDS: '加微信' } });
});
afterAll(() => t.close());

interface FeedPage {
  items: Array<{ id: number; featured: boolean }>;
  nextCursor: string | null;
}

async function allPages(viewer: LoggedIn, cohortId: number, limit: number): Promise<FeedPage[]> {
  const pages: FeedPage[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=${limit}${cursor ? `&before=${cursor}` : ''}`;
    const page: FeedPage = (await t.http.get(`/api/v1/cohorts/${cohortId}/checkins?${query}`).set(viewer.auth).expect(200)).body;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

describe('the feed with featured check-ins', () => {
  it('pins featured ones first, newest first, then the rest newest first; the cursor carries paging across both parts', async () => {
    const operator = await operatorOf(t);
    const teacher = await teacherOf(t, operator, 'featured-teacher');
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02', teacherIds: [teacher.memberId] });
    const members = await Promise.all(Array.from({ length: 7 }, (_, i) => joinAs(t, `featured-${i}`, cohort.id)));
    const viewer = await joinAs(t, 'featured-viewer', cohort.id);
    await at(t, '2026-03-02T09:00:00+08:00');
    const ids: number[] = [];
    for (const [i, member] of members.entries()) {
      ids.push((await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(member.auth).send({ text: `作品 ${i + 1}` }).expect(201)).body.checkin.id);
    }
    for (const index of [1, 4, 5]) {
      await t.http.post(`/api/v1/checkins/${ids[index]}/feature`).set(teacher.auth).send({ featured: true }).expect(200);
    }

    const pages = await allPages(viewer, cohort.id, 2);
    expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([
      [ids[5], ids[4]],
      [ids[1], ids[6]],
      [ids[3], ids[2]],
      [ids[0]],
    ]);
    expect(pages.map((page) => page.nextCursor)).toEqual([`f${ids[4]}`, `${ids[6]}`, `${ids[2]}`, null]);
    expect(pages[0].items.every((item) => item.featured)).toBe(true);

    // A page that ends exactly where the featured part ends carries on into the rest.
    const threes = await allPages(viewer, cohort.id, 3);
    expect(threes.map((page) => page.items.map((item) => item.id))).toEqual([[ids[5], ids[4], ids[1]], [ids[6], ids[3], ids[2]], [ids[0]]]);
    expect(threes[0].nextCursor).toBe(`f${ids[1]}`);

    // Unfeatured, it goes back to its place among the rest.
    await t.http.post(`/api/v1/checkins/${ids[5]}/feature`).set(teacher.auth).send({ featured: false }).expect(200);
    const [whole] = await allPages(viewer, cohort.id, 20);
    expect(whole.items.map((item) => item.id)).toEqual([ids[4], ids[1], ids[6], ids[5], ids[3], ids[2], ids[0]]);
  });

  it('keeps held check-ins out of other members\' feeds, featured or not, and refuses malformed cursors', async () => {
    const operator = await operatorOf(t);
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { title: '精选隐藏', startDate: '2026-03-02' });
    const [author, viewer] = await Promise.all([joinAs(t, 'held-author', cohort.id), joinAs(t, 'held-viewer', cohort.id)]);
    await at(t, '2026-03-02T09:00:00+08:00');
    const held = (await t.http.post(`/api/v1/cohorts/${cohort.id}/checkins`).set(author.auth).send({ text: '作业答案加微信' }).expect(201)).body.checkin;
    await t.http.post(`/api/v1/checkins/${held.id}/feature`).set(operator.auth).send({ featured: true }).expect(200);
    expect((await allPages(viewer, cohort.id, 5))[0].items).toEqual([]);
    expect((await allPages(author, cohort.id, 5))[0].items.map((item) => item.id)).toEqual([held.id]);
    for (const before of ['f', 'f0', 'ff1', 'x1', '1f']) {
      const answer = await t.http.get(`/api/v1/cohorts/${cohort.id}/checkins?before=${before}`).set(viewer.auth).expect(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
