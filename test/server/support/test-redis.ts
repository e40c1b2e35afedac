import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createLogger } from '../../../server/src/platform/logger';
import { closeRedis, createRedisClient, redisReady } from '../../../server/src/platform/redis/redis-client';

/**
 * Set in CI (and by hand) to run the server suite's limits on Redis instead of in-process counters;
 * then a Redis that does not answer fails the tests. Redis is shared with other test runs: each
 * test app gets its own random key prefix and deletes its keys when it closes.
 */
export const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;

export interface TestRedis {
  client: Redis;
  url: string;
  keyPrefix: string;
  close(): Promise<void>;
}

export async function openTestRedis(url: string): Promise<TestRedis> {
  const client = createRedisClient(url, createLogger('silent'));
  if (!(await redisReady(client, 5000))) {
    client.disconnect();
    throw new Error(`TEST_REDIS_URL=${url} does not answer`);
  }
  const keyPrefix = `test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  return {
    client,
    url,
    keyPrefix,
    close: async () => {
      await deleteKeys(client, keyPrefix);
      await closeRedis(client);
    },
  };
}

export async function deleteKeys(client: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
