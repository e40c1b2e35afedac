import 'reflect-metadata';
import { createApp } from './app';
import { createModules, createScheduler } from './modules';
import { ConfigError, loadConfig } from './config';
import { SettableClock, systemClock } from './platform/clock/clock';
import { openDatabase } from './platform/db/data-source';
import { createLogger } from './platform/logger';
import { createWeChatAdapter } from './platform/wechat/wechat-adapter';

/** Composition root: configuration, database, WeChat adapter, HTTP server, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dataSource = await openDatabase(config.database);
  const clock = config.allowTestClock ? new SettableClock() : systemClock;
  const wechat = createWeChatAdapter(config.wechat, config.pay, clock, logger);

  const deps = { config, dataSource, logger, clock, wechat };
  const modules = createModules(deps);
  const app = createApp(deps, modules);
  const scheduler = createScheduler(deps, modules);
  if (config.jobs.enabled) scheduler.start(config.jobs.tickMs);
  const server = app.listen(config.port, config.host);
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(
      { port, database: config.database.kind, wechatMode: config.wechat.mode, testClock: config.allowTestClock },
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
        .catch((error: unknown) => logger.error({ err: error }, 'closing the database failed'))
        .finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('The server could not start:', error);
  }
  process.exit(1);
});
