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

describe('shared cache, loads at once', () => {
  const bus = () => new CacheBus({ redis: null, logger: createLogger('silent') });

  it('callers missing one key at once share a single load (a rush of requests with one token reads it once)', async () => {
    const cache = bus().cache<number>('tokens', { ttlMs: 60_000, maxEntries: 10 });
    let loads = 0;
    let release!: (value: number) => void;
    const load = () => {
      loads++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const answers = Promise.all([cache.get('t', load), cache.get('t', load), cache.get('t', load)]);
    release(7);
    expect(await answers).toEqual([7, 7, 7]);
    expect(loads).toBe(1);
    // A failed load is not remembered: the next caller loads again.
    await expect(cache.get('u', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await cache.get('u', async () => 8)).toBe(8);
  });

  it('a caller arriving after a change was announced does not join a load started before it', async () => {
    const b = bus();
    const cache = b.cache<{ memberId: number; live: boolean }>('tokens', { ttlMs: 60_000, maxEntries: 10, tagOf: (v) => `member:${v.memberId}` });
    let release!: (value: { memberId: number; live: boolean }) => void;
    const before = cache.get('t', () => new Promise((resolve) => (release = resolve)));
    await b.announce('tokens', 'member:1'); // e.g. a logout committed while the first read was on its way
    const after = cache.get('t', async () => null);
    release({ memberId: 1, live: true });
    expect(await before).toEqual({ memberId: 1, live: true });
    expect(await after).toBeNull();
    expect(cache.size).toBe(0);
  });
});
