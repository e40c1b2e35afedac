import 'reflect-metadata';
import { createApp } from './app';
import { createModules, createScheduler } from './modules';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { SettableClock, systemClock } from './platform/clock/clock';
import { entities } from './entities';
import { openDatabase } from './platform/db/data-source';
import { createLogger } from './platform/logger';
import { closeRedis, createRedisClient, redisReady } from './platform/redis/redis-client';
import { createWeChatAdapter } from './platform/wechat/wechat-adapter';

/** Composition root: configuration, database, WeChat adapter, HTTP server, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dataSource = await openDatabase(config.database, entities);
  const clock = config.allowTestClock ? new SettableClock() : systemClock;
  const wechat = createWeChatAdapter(config.wechat, config.pay, clock, logger);
  const redis = config.redis ? createRedisClient(config.redis.url, logger) : null;
  if (redis && !(await redisReady(redis, 3000))) logger.warn('Redis did not answer at start; rate limits stay in this process until it does');
  warnAboutOpenDoors(config, logger);

  const deps = { config, dataSource, logger, clock, wechat, redis };
  const modules = createModules(deps);
  const app = createApp(deps, modules);
  const scheduler = createScheduler(deps, modules);
  if (config.jobs.enabled) scheduler.start(config.jobs.tickMs);
  const server = app.listen(config.port, config.host);
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(
      {
        port, database: config.database.kind, wechatMode: config.wechat.mode, payMode: config.pay.mode, testClock: config.allowTestClock,
        rateLimits: config.rateLimits.enabled ? (config.redis ? 'redis' : 'in-process') : 'off',
        storage: config.storage.kind === 's3' ? `s3://${config.storage.bucket}/${config.storage.keyPrefix}` : config.storage.dir,
      },
      `API listening on http://127.0.0.1:${port}/api/v1 (health: /healthz)`,
    );
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const forceExit = setTimeout(() => {
      logger.warn('requests still running after the shutdown timeout; exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    forceExit.unref();
    server.close(() => {
      scheduler
        .stop()
        .then(() => dataSource.destroy())
        .then(() => modules.cacheBus.close())
        .then(() => (redis ? closeRedis(redis) : undefined))
        .catch((error: unknown) => logger.error({ err: error }, 'closing the database failed'))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Settings that are fine for development but must never go unnoticed. */
function warnAboutOpenDoors(config: AppConfig, logger: Logger): void {
  if (config.pay.mode === 'off') {
    logger.warn('WeChat Pay is not configured (no WECHATPAY_* settings): buying an offer answers 503 PAYMENT_NOT_CONFIGURED');
  }
  if (config.pay.mode === 'fake') logger.warn('fake WeChat Pay: POST /api/v1/dev/orders/:id/pay marks orders paid without payment');
  if (config.wechat.mode === 'fake') logger.warn('fake WeChat login: anyone can log in as any openid with "fake:<openid>"');
  if (config.allowTestClock) logger.warn('test clock open: anyone can set the server time with POST /api/v1/dev/clock');
  if (!config.rateLimits.enabled) logger.warn('RATE_LIMITS=off: no rate limits, upload quotas or upload caps');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('The server could not start:', error);
  }
  process.exit(1);
});
