import { addDays, businessDateOf, daysBetween } from '../../../server/src/platform/clock/business-date';
import { startTestApp, type TestApp } from '../support/test-app';

describe('business dates', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it.each(['UTC', 'Asia/Shanghai', 'America/Los_Angeles'])(
    'with the process in %s, 23:59:59 in Shanghai is still the old day and 00:00:00 the new one',
    (processZone) => {
      process.env.TZ = processZone;
      expect(businessDateOf(new Date('2026-03-01T23:59:59+08:00'), 'Asia/Shanghai')).toBe('2026-03-01');
      expect(businessDateOf(new Date('2026-03-02T00:00:00+08:00'), 'Asia/Shanghai')).toBe('2026-03-02');
      // 16:00 UTC is midnight in Shanghai
      expect(businessDateOf(new Date('2026-03-01T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-03-01');
      expect(businessDateOf(new Date('2026-03-01T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    },
  );

  it('keeps the day right when asked again and again around its ends, a short DST day and going back in time included', () => {
    // 2026-03-08 in Los Angeles has 23 hours (clocks go forward at 02:00).
    const asked = [
      ['2026-03-08T12:00:00-07:00', '2026-03-08'],
      ['2026-03-08T00:00:00-08:00', '2026-03-08'],
      ['2026-03-07T23:59:59.999-08:00', '2026-03-07'],
      ['2026-03-08T23:59:59.999-07:00', '2026-03-08'],
      ['2026-03-09T00:00:00-07:00', '2026-03-09'],
      ['2026-03-08T01:59:59-08:00', '2026-03-08'],
    ] as const;
    for (const [instant, date] of asked) expect(businessDateOf(new Date(instant), 'America/Los_Angeles')).toBe(date);
    // Another zone asked in between does not disturb the first.
    expect(businessDateOf(new Date('2026-03-08T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-09');
    expect(businessDateOf(new Date('2026-03-08T16:30:00Z'), 'America/Los_Angeles')).toBe('2026-03-08');
  });

  it('counts calendar days across month and year ends', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-02', '2026-03-01')).toBe(-1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });

  it('adds days across month, leap-day and year ends, and back', () => {
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-08', 0)).toBe('2026-03-08');
  });
});

describe('POST /api/v1/dev/clock', () => {
  let withClock: TestApp;
  let withoutClock: TestApp;
  beforeAll(async () => {
    withClock = await startTestApp();
    withoutClock = await startTestApp({ env: { ALLOW_TEST_CLOCK: '0' } });
  });
  afterAll(async () => {
    await withClock.close();
    await withoutClock.close();
  });

  it('sets the server clock to an instant with an offset, and null returns to real time', async () => {
    const set = await withClock.http.post('/api/v1/dev/clock').send({ now: '2026-03-01T23:59:59+08:00' }).expect(200);
    expect(set.body).toEqual({ now: '2026-03-01T15:59:59.000Z', frozen: true });
    expect(withClock.clock.now().toISOString()).toBe('2026-03-01T15:59:59.000Z');

    const reset = await withClock.http.post('/api/v1/dev/clock').send({ now: null }).expect(200);
    expect(reset.body.frozen).toBe(false);
    expect(Math.abs(new Date(reset.body.now).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('refuses an instant without an offset, which would be ambiguous', async () => {
    for (const now of ['2026-03-01 23:59:59', '2026-03-01T23:59:59', 'tomorrow', 1700000000000]) {
      const answer = await withClock.http.post('/api/v1/dev/clock').send({ now }).expect(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('does not exist unless ALLOW_TEST_CLOCK=1', async () => {
    const answer = await withoutClock.http.post('/api/v1/dev/clock').send({ now: '2026-03-01T00:00:00+08:00' }).expect(404);
    expect(answer.body.error.code).toBe('NOT_FOUND');
    const doc = await withoutClock.http.get('/api/v1/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).not.toContain('/api/v1/dev/clock');
  });
});
