import { createLogger } from '../../../server/src/platform/logger';
import { CacheBus } from '../../../server/src/platform/cache/shared-cache';

/** The in-process side of the cache (no Redis): what a change announcement drops, and the bound. */
describe('shared cache', () => {
  const bus = () => new CacheBus({ redis: null, logger: createLogger('silent') });

  it('drops every login of a member on an announcement and keeps the others', async () => {
    const b = bus();
    const logins = b.cache<{ memberId: number }>('tokens', { ttlMs: 60_000, maxEntries: 100, tagOf: (v) => `member:${v.memberId}` });
    let loads = 0;
    const load = (memberId: number) => async () => {
      loads++;
      return { memberId };
    };
    await logins.get('a1', load(1));
    await logins.get('a2', load(1));
    await logins.get('b1', load(2));
    expect(loads).toBe(3);
    await b.announce('tokens', 'member:1');
    expect(logins.size).toBe(1);
    await logins.get('b1', load(2));
    expect(loads).toBe(3);
    await logins.get('a1', load(1));
    expect(loads).toBe(4);
  });

  it('an entry evicted by the bound or reloaded after expiry is dropped under its tag only once', async () => {
    const b = bus();
    const cache = b.cache<{ memberId: number }>('tokens', { ttlMs: 60_000, maxEntries: 2, tagOf: (v) => `member:${v.memberId}` });
    await cache.get('a', async () => ({ memberId: 1 }));
    await cache.get('b', async () => ({ memberId: 2 }));
    await cache.get('c', async () => ({ memberId: 2 }));
    expect(cache.size).toBe(2);
    // 'a' went out to make room; announcing member 1 leaves member 2's two logins.
    await b.announce('tokens', 'member:1');
    expect(cache.size).toBe(2);
    await b.announce('tokens', 'member:2');
    expect(cache.size).toBe(0);
  });

  it('a value loaded while a change was announced is not kept', async () => {
    const b = bus();
    const cache = b.cache<number>('cohorts', { ttlMs: 60_000, maxEntries: 10 });
    let release!: () => void;
    const slow = cache.get('7', () => new Promise<number>((resolve) => (release = () => resolve(1))));
    await b.announce('cohorts', '7');
    release();
    expect(await slow).toBe(1);
    expect(cache.size).toBe(0);
  });
});
