import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** How long announcing a change may take before the request goes on without it. */
const PUBLISH_TIMEOUT_MS = 500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Tells every instance that something cached changed. Each instance keeps its caches in its own
 * memory; a change is published on one Redis channel (REDIS_URL set) and every instance, this one
 * included, drops its copy. Without Redis there is one instance and dropping the local copy is
 * enough. While an instance's subscription is down it cannot hear changes made elsewhere, so its
 * caches stand aside (every read goes to the database) and are emptied when the subscription is
 * back, since announcements may have been missed meanwhile.
 */
export class CacheBus {
  private readonly caches = new Map<string, SharedCache<unknown>>();
  private readonly channel: string;
  private readonly subscriber: Redis | null;
  private readonly publisher: Redis | null;
  private listening: boolean;

  constructor(private readonly options: { redis: { client: Redis; keyPrefix: string } | null; logger: Logger }) {
    const redis = options.redis;
    this.channel = redis ? `${redis.keyPrefix}cache-changes` : '';
    this.publisher = redis?.client ?? null;
    this.subscriber = redis ? redis.client.duplicate() : null;
    this.listening = redis === null;
    if (this.subscriber) this.listen(this.subscriber);
  }

  /** True when a cached value may be used: no Redis, or this instance hears every change announced. */
  get trusted(): boolean {
    return this.listening;
  }

  /** A cache of this bus; `tagOf` names what a change announcement drops (the key when absent). */
  cache<V>(name: string, options: { ttlMs: number; maxEntries: number; tagOf?: (value: V, key: string) => string }): SharedCache<V> {
    const cache = new SharedCache<V>(this, options);
    this.caches.set(name, cache as SharedCache<unknown>);
    return cache;
  }

  /** Drops `tag` from the named cache here and, through Redis, on every other instance. */
  async announce(name: string, tag: string): Promise<void> {
    this.caches.get(name)?.drop(tag);
    if (!this.publisher) return;
    try {
      // A Redis that is away or hung must not hold up the request that changed something.
      if (this.publisher.status !== 'ready') throw new Error(`Redis is ${this.publisher.status}`);
      await withTimeout(this.publisher.publish(this.channel, JSON.stringify({ cache: name, tag })), PUBLISH_TIMEOUT_MS);
    } catch (error) {
      // Redis is away: the other instances' subscriptions are down too, so their caches stand aside.
      this.options.logger.warn({ err: error, cache: name }, 'could not announce a cache change to the other instances');
    }
  }

  /** Waits until the subscription is up (or `timeoutMs` passed); answers whether it is. */
  async ready(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.listening && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.listening;
  }

  async close(): Promise<void> {
    this.listening = false;
    this.subscriber?.disconnect();
  }

  private listen(subscriber: Redis): void {
    const down = () => {
      if (this.listening) this.options.logger.warn('cache announcements are not heard: caches stand aside until Redis is back');
      this.listening = false;
    };
    subscriber.on('error', down);
    subscriber.on('close', down);
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => {
          for (const cache of this.caches.values()) cache.clear();
          this.listening = true;
        },
        (error: unknown) => this.options.logger.warn({ err: error }, 'could not subscribe to cache announcements'),
      );
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const { cache, tag } = JSON.parse(message) as { cache: string; tag: string };
        this.caches.get(cache)?.drop(String(tag));
      } catch {
        // Not one of ours: nothing to drop.
      }
    });
  }
}

interface Entry<V> {
  value: V;
  tag: string;
  expiresAt: number;
}

/**
 * A bounded in-process cache whose entries live `ttlMs` at most and are dropped when their bus
 * announces a change to their tag. A value loaded while a change was announced is not kept (it
 * may predate the change).
 */
export class SharedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  /** The keys under each tag, so a change announcement drops its few entries without a scan. */
  private readonly keysByTag = new Map<string, Set<string>>();
  /** Loads running now, by key, with the generation they started in. */
  private readonly loading = new Map<string, { generation: number; value: Promise<V | null> }>();
  private generation = 0;

  constructor(
    private readonly bus: CacheBus,
    private readonly options: { ttlMs: number; maxEntries: number; tagOf?: (value: V, key: string) => string },
  ) {}

  /**
   * The cached value, or `load()`'s (kept when it is not null and nothing changed meanwhile).
   * Callers missing the same key at once share one load (a burst of requests with one token makes
   * one read), unless a change was announced after it started: they load afresh.
   */
  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    if (!this.bus.trusted) return load();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.value;
    if (entry) this.remove(key);
    const inFlight = this.loading.get(key);
    if (inFlight && inFlight.generation === this.generation) return inFlight.value;
    const generation = this.generation;
    const value = this.loadAndKeep(key, load, generation);
    this.loading.set(key, { generation, value });
    const settled = () => {
      if (this.loading.get(key)?.value === value) this.loading.delete(key);
    };
    value.then(settled, settled);
    return value;
  }

  private async loadAndKeep(key: string, load: () => Promise<V | null>, generation: number): Promise<V | null> {
    const value = await load();
    if (value !== null && generation === this.generation && this.bus.trusted) this.put(key, value);
    return value;
  }

  /** Drops every entry with this tag (called by the bus). */
  drop(tag: string): void {
    this.generation++;
    const keys = this.keysByTag.get(tag);
    if (!keys) return;
    for (const key of keys) this.entries.delete(key);
    this.keysByTag.delete(tag);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.keysByTag.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private put(key: string, value: V): void {
    if (this.entries.has(key)) this.remove(key);
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.remove(oldest);
    }
    const tag = this.options.tagOf ? this.options.tagOf(value, key) : key;
    this.entries.set(key, { value, tag, expiresAt: Date.now() + this.options.ttlMs });
    const keys = this.keysByTag.get(tag);
    if (keys) keys.add(key);
    else this.keysByTag.set(tag, new Set([key]));
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const keys = this.keysByTag.get(entry.tag);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByTag.delete(entry.tag);
  }
}
