import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { rateLimited } from '../http/errors';

/** One limit: `points` per `durationSeconds`, counted per member or per client address. */
export interface LimitPolicy {
  per: 'member' | 'ip';
  points: number;
  durationSeconds: number;
}

/** Who a request is counted against: the member when one is logged in, else the client address. */
export interface LimitSubject {
  memberId: number | null;
  ip: string;
}

export interface RateLimitsOptions {
  /** false (RATE_LIMITS=off): every consume passes and every hold is free. */
  enabled: boolean;
  /** Shared counters for several instances; in this process when absent. */
  redis?: { client: Redis; keyPrefix: string } | null;
  logger: Logger;
}

/**
 * Named abuse limits on rate-limiter-flexible: in-process counters, or Redis when a client is given
 * (then every instance shares them; while Redis is away each process falls back to its own
 * in-memory counters rather than failing requests). Over a limit, `consume` throws 429
 * RATE_LIMITED with Retry-After.
 */
export class RateLimits<Name extends string = string> {
  private readonly limiters = new Map<Name, RateLimiterAbstract>();

  constructor(
    private readonly policies: Readonly<Record<Name, LimitPolicy>>,
    private readonly options: RateLimitsOptions,
  ) {
    for (const [name, policy] of Object.entries(policies) as Array<[Name, LimitPolicy]>) {
      const shape = { points: policy.points, duration: policy.durationSeconds };
      const redis = options.redis;
      this.limiters.set(
        name,
        redis
          ? new RateLimiterRedis({
              ...shape,
              storeClient: redis.client,
              keyPrefix: `${redis.keyPrefix}rl:${name}`,
              rejectIfRedisNotReady: true,
              insuranceLimiter: new RateLimiterMemory({ ...shape, keyPrefix: `insurance:${name}` }),
            })
          : new RateLimiterMemory({ ...shape, keyPrefix: name }),
      );
    }
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  policy(name: Name): LimitPolicy {
    return this.policies[name];
  }

  /** Counts `points` against the subject; throws 429 RATE_LIMITED when that goes over the limit. */
  async consume(name: Name, subject: LimitSubject, points = 1): Promise<void> {
    if (!this.options.enabled) return;
    await this.take(name, this.keyOf(name, subject), points);
  }

  /**
   * A slot of a concurrency limit (e.g. uploads in progress per member): throws 429 when all
   * `points` slots are taken; call the returned release when done. A slot held longer than the
   * policy's duration frees itself (a crashed process cannot keep a member's slots for ever).
   */
  async hold(name: Name, subject: LimitSubject, message?: string): Promise<() => Promise<void>> {
    if (!this.options.enabled) return async () => undefined;
    const key = this.keyOf(name, subject);
    const taken = await this.take(name, key, 1, message);
    const expiresAt = Date.now() + (taken?.msBeforeNext ?? 0);
    let released = false;
    return async () => {
      // After the window has reset, giving the point back would hand out a slot too many.
      if (released || !taken || Date.now() >= expiresAt) return;
      released = true;
      await this.limiters.get(name)!.reward(key, 1).catch((error: unknown) => {
        this.options.logger.warn({ err: error, limit: name }, 'could not release a rate-limit slot');
      });
    };
  }

  private keyOf(name: Name, subject: LimitSubject): string {
    return this.policies[name].per === 'member' && subject.memberId !== null ? `m${subject.memberId}` : `ip${subject.ip}`;
  }

  private async take(name: Name, key: string, points: number, message?: string): Promise<RateLimiterRes | null> {
    const limiter = this.limiters.get(name);
    if (!limiter) throw new Error(`Unknown rate-limit policy ${name}`);
    try {
      return await limiter.consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw rateLimited(rejection.msBeforeNext / 1000, message);
      // The store itself failed (and so did the in-memory insurance): let the request through.
      this.options.logger.warn({ err: rejection, limit: name }, 'rate limit could not be checked; request let through');
      return null;
    }
  }
}
