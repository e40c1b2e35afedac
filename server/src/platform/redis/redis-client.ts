import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The one Redis connection of a server process (REDIS_URL): what several instances must share lives
 * there (rate limits today; caches and pub/sub can use the same client, or `duplicate()` it for a
 * subscriber). Commands fail fast while Redis is away (no offline queue), so callers fall back to
 * something in-process instead of making requests wait; reconnection is automatic.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // How long closing waits for a hung server to close its end before dropping the socket.
    disconnectTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let reachable = true;
  client.on('error', (error: Error) => {
    // ioredis repeats the error on every reconnection attempt: log the change, not each attempt.
    if (!reachable) return;
    reachable = false;
    logger.warn({ err: error }, 'Redis is not answering: rate limits fall back to this process until it is back');
  });
  client.on('ready', () => {
    if (!reachable) logger.info('Redis answers again');
    reachable = true;
  });
  return client;
}

/** Resolves true once the client is ready, false after `timeoutMs` (the server starts anyway). */
export function redisReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on('ready', onReady);
  });
}

/** Closes the connection at shutdown (QUIT when connected, else just disconnects). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
