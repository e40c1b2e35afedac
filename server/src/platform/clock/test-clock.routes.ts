import { z } from 'zod';
import type { ApiRouter } from '../http/api-router';
import type { SettableClock } from './clock';

/**
 * POST /api/v1/dev/clock — only registered when ALLOW_TEST_CLOCK=1 outside production (config
 * refuses the combination), so elsewhere the path is a plain 404.
 */
export function registerTestClockRoutes(api: ApiRouter, clock: SettableClock): void {
  api.add({
    method: 'post',
    path: '/dev/clock',
    summary: 'Test clock: freeze the server clock at an instant (null returns to real time)',
    tag: 'dev',
    access: 'public',
    body: z.strictObject({
      now: z.iso
        .datetime({ offset: true, message: 'must be ISO-8601 with an offset, e.g. 2026-03-01T23:59:59+08:00' })
        .nullable(),
    }),
    response: z.object({ now: z.string(), frozen: z.boolean() }),
    // A test harness moves the clock hundreds of times a minute; the route exists only when asked for.
    rateLimit: false,
    handler: async ({ body }) => {
      clock.set(body.now === null ? null : new Date(body.now));
      return { now: clock.now().toISOString(), frozen: clock.isSet() };
    },
  });
}
