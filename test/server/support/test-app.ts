import type Koa from 'koa';
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

export const ROOT_OPERATOR_OPENID = 'root-operator';

export interface TestApp {
  app: Koa;
  deps: AppDeps;
  modules: Modules;
  http: ReturnType<typeof request>;
  db: TestDatabase;
  clock: SettableClock;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Replaces parts of the WeChat adapter (fake mode by default). */
  wechat?: Partial<WeChatAdapter>;
  /** Where uploads go (in memory by default). */
  storage?: ObjectStorage;
}

/** The real app (createApp) on a fresh real database, with fake WeChat unless a client is given. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    ALLOW_TEST_CLOCK: '1',
    OPERATOR_OPENIDS: ROOT_OPERATOR_OPENID,
    ...options.env,
  });
  const db = await openTestDatabase();
  const clock = new SettableClock();
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const deps: AppDeps = {
    config,
    dataSource: db.dataSource,
    logger,
    clock,
    wechat: { ...createWeChatAdapter({ ...config.wechat, mode: 'fake' }, { mode: 'fake' }, clock, logger), ...options.wechat },
    storage: options.storage ?? new MemoryStorage(),
  };
  const modules = createModules(deps);
  const app = createApp(deps, modules);
  const http = request(app.callback());
  return { app, deps, modules, http, db, clock, config, close: () => db.close() };
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
