import type { Redis } from 'ioredis';
import type Koa from 'koa';
import type { Logger } from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../../server/src/app';
import { createModules, type Modules } from '../../../server/src/modules';
import { loadConfig, type AppConfig } from '../../../server/src/config';
import { SettableClock } from '../../../server/src/platform/clock/clock';
import { createLogger } from '../../../server/src/platform/logger';
import { createWeChatAdapter, type WeChatAdapter } from '../../../server/src/platform/wechat/wechat-adapter';
import type { ObjectStorage } from '../../../server/src/platform/storage/object-storage';
import { MemoryStorage } from './memory-storage';
import { openTestDatabase, type TestDatabase } from './test-database';
import { openTestRedis, testRedisUrl, type TestRedis } from './test-redis';

export const ROOT_OPERATOR_OPENID = 'root-operator';

export interface TestApp {
  app: Koa;
  deps: AppDeps;
  modules: Modules;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  clock: SettableClock;
  config: AppConfig;
  /** The Redis the limits use when TEST_REDIS_URL is set (else null: in-process limits). */
  redis: TestRedis | null;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Replaces parts of the WeChat adapter (fake mode by default). */
  wechat?: Partial<WeChatAdapter>;
  /** Where uploads go (in memory by default; `configured`: the store the env selects, as in production). */
  storage?: ObjectStorage | 'configured';
  /** Logs go here (silent by default, or TEST_LOG_LEVEL). */
  logger?: Logger;
  /** A Redis client of the test's own for the limits (with REDIS_KEY_PREFIX in env), instead of TEST_REDIS_URL's. */
  redis?: Redis;
}

/**
 * The real app (createApp) on a fresh real database, with fake WeChat unless a client is given, and
 * its limits in Redis when TEST_REDIS_URL is set (under a key prefix of its own).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const redis = testRedisUrl && !options.redis ? await openTestRedis(testRedisUrl) : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    ALLOW_TEST_CLOCK: '1',
    OPERATOR_OPENIDS: ROOT_OPERATOR_OPENID,
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.keyPrefix } : {}),
    ...options.env,
  });
  const db = await openTestDatabase();
  const clock = new SettableClock();
  const logger = options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const deps: AppDeps = {
    config,
    dataSource: db.dataSource,
    logger,
    clock,
    // Fake WeChat login whatever the mode (tests log in as `fake:<openid>`); payments as configured.
    wechat: { ...createWeChatAdapter({ ...config.wechat, mode: 'fake' }, config.pay, clock, logger), ...options.wechat },
    storage: options.storage === 'configured' ? undefined : (options.storage ?? new MemoryStorage()),
    redis: options.redis ?? redis?.client ?? null,
  };
  const modules = createModules(deps);
  const app = createApp(deps, modules);
  const http = request(app.callback());
  const close = async () => {
    await modules.cacheBus.close();
    await db.close();
    await redis?.close();
  };
  return { app, deps, modules, http, db, clock, config, redis, close };
}

export interface LoggedIn {
  token: string;
  memberId: number;
  auth: { Authorization: string };
}

/** Logs in through the API as a fake-WeChat openid. */
export async function loginAs(t: TestApp, openid: string): Promise<LoggedIn> {
  const response = await t.http.post('/api/v1/auth/wechat-login').send({ code: `fake:${openid}` }).expect(200);
  const token: string = response.body.token;
  return { token, memberId: response.body.member.id, auth: { Authorization: `Bearer ${token}` } };
}

/** A valid 1×1 PNG. */
export const tinyPng = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2dd1f8a0000000049454e44ae426082',
  'hex',
);

/** Uploads an image as `who` through POST /uploads/images; answers the URL to send with a post. */
export async function uploadImage(t: TestApp, who: LoggedIn, bytes: Buffer = tinyPng): Promise<string> {
  const answer = await t.http.post('/api/v1/uploads/images').set(who.auth).attach('file', bytes, 'photo.png');
  if (answer.status !== 201) throw new Error(`uploadImage: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.url as string;
}
