import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OfferOrder } from '../../../server/src/modules/conversion/conversion.entity';
import { at, createCohort, joinAs, operatorOf } from '../support/cohort-helpers';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Dev-only doors open only when asked for by name: with real WeChat login and no WeChat Pay
 * settings nothing is sold and nothing is faked; a NODE_ENV typo never runs as development.
 */
const realLogin = { WECHAT_MODE: 'real', WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 'not-a-real-secret' };

describe('real WeChat login without WECHATPAY_* settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: realLogin });
  });
  afterAll(() => t.close());

  it('answers an offer order with 503 PAYMENT_NOT_CONFIGURED and records no order', async () => {
    const operator = await operatorOf(t);
    await at(t, '2026-03-01T10:00:00+08:00');
    const cohort = await createCohort(t, operator, { startDate: '2026-03-02' });
    const member = await joinAs(t, 'buyer', cohort.id);
    const offer = await t.http.post(`/api/v1/cohorts/${cohort.id}/offers`).set(operator.auth).send({ round: 1, title: '进阶课', priceFen: 99900 }).expect(201);
    await at(t, '2026-03-09T10:00:00+08:00');
    const answer = await t.http.post(`/api/v1/offers/${offer.body.id}/orders`).set(member.auth).send({}).expect(503);
    expect(answer.body.error.code).toBe('PAYMENT_NOT_CONFIGURED');
    expect(await t.db.dataSource.manager.countBy(OfferOrder, {})).toBe(0);
  });

  it('has no fake payment route: POST /dev/orders/:id/pay is 404 and undocumented', async () => {
    const member = await joinAs(t, 'prober', (await createCohort(t, await operatorOf(t), { startDate: '2026-03-10' })).id);
    expect((await t.http.post('/api/v1/dev/orders/1/pay').set(member.auth).send({}).expect(404)).body.error.code).toBe('NOT_FOUND');
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/dev/orders'))).toEqual([]);
  });

  it('refuses every payment notification with WeChat Pay\'s generic failure', async () => {
    await t.http.post('/api/v1/pay/notify').set('Content-Type', 'application/json').send('{"resource":{}}').expect(400, { code: 'FAIL', message: '失败' });
  });
});

/** Runs `server/src/main.ts` as `npm start` would, until it listens (then SIGTERM) or exits. */
function runServer(env: Record<string, string>): Promise<{ exitCode: number | null; output: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'checkin-doors-'));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'server/src/main.ts'], {
    cwd: path.resolve(__dirname, '../../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, JOBS_ENABLED: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('API listening')) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (exitCode) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ exitCode, output });
    });
  });
}

describe('starting the server', () => {
  it.each(['prod', 'Production', 'staging'])('refuses NODE_ENV=%s, naming the allowed values', async (nodeEnv) => {
    const { exitCode, output } = await runServer({ ...realLogin, NODE_ENV: nodeEnv });
    expect(exitCode).toBe(1);
    expect(output).toContain('NODE_ENV: must be one of development, test, production');
    expect(output).not.toContain('API listening');
  }, 60_000);

  it('warns at start that payments are off when WeChat Pay is not configured', async () => {
    const { output } = await runServer({ ...realLogin, NODE_ENV: 'development' });
    expect(output).toContain('API listening');
    expect(output).toMatch(/WeChat Pay is not configured .*PAYMENT_NOT_CONFIGURED/);
    expect(output).toContain('"payMode":"off"');
  }, 60_000);
});
