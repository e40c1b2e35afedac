import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/src/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('needs nothing for a newcomer: SQLite under ./data, fake WeChat, Shanghai business days', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('data', 'checkin.sqlite') });
    expect(config.wechat.mode).toBe('fake');
    expect(config.businessTimeZone).toBe('Asia/Shanghai');
    expect(config.allowTestClock).toBe(false);
    expect(config.tokenTtlDays).toBe(30);
  });

  it('switches to MySQL with DATABASE_URL and to real WeChat when a secret is set', () => {
    const config = loadConfig({
      DATABASE_URL: 'mysql://app:pw@db.internal:3306/checkin',
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 's3cret',
      OPERATOR_OPENIDS: ' o1 , o2,, ',
      DATA_DIR: '/var/lib/checkin',
    });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://app:pw@db.internal:3306/checkin', poolSize: 10 });
    expect(config.wechat).toMatchObject({ mode: 'real', appId: 'wx1234567890abcdef', apiBase: 'https://api.weixin.qq.com' });
    expect(config.operatorOpenids).toEqual(['o1', 'o2']);
    expect(config.dataDir).toBe('/var/lib/checkin');
  });

  it('reads WeChat Pay keys from files, naming the ones it cannot read', () => {
    const problems = problemsOf({
      WECHATPAY_MCHID: '1900000001', WECHATPAY_SERIAL_NO: 'ABC', WECHATPAY_PRIVATE_KEY_PATH: '/nonexistent/apiclient_key.pem',
      WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: '/nonexistent/pub_key.pem', WECHATPAY_PLATFORM_SERIAL: 'PUB_KEY_ID_1',
      WECHATPAY_APIV3_KEY: 'short', WECHATPAY_NOTIFY_URL: 'https://example.com/api/v1/pay/notify',
    });
    expect(problems).toEqual([
      'WECHATPAY_APIV3_KEY: must be the 32-character APIv3 key',
      'WECHATPAY_PRIVATE_KEY_PATH: cannot read /nonexistent/apiclient_key.pem',
      'WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: cannot read /nonexistent/pub_key.pem',
    ]);
    expect(loadConfig({}).pay).toEqual({ mode: 'fake' });
  });

  it('lists every problem at once, naming the variable and what would be right', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'postgres://x', WECHAT_MODE: 'sandbox' });
    expect(problems).toEqual([
      expect.stringMatching(/^PORT: .*whole number/),
      expect.stringMatching(/^DATABASE_URL: must look like mysql:\/\//),
      expect.stringMatching(/^WECHAT_MODE: must be fake or real/),
    ]);
  });

  it('refuses real WeChat without credentials, an unknown time zone, and unsafe production settings', () => {
    expect(problemsOf({ WECHAT_MODE: 'real' })).toEqual([expect.stringMatching(/WECHAT_APPID and WECHAT_SECRET/)]);
    expect(problemsOf({ BUSINESS_TZ: 'Mars/Olympus' })).toEqual([expect.stringMatching(/BUSINESS_TZ.*IANA/)]);
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/WECHAT_MODE=fake .* refused/),
      expect.stringMatching(/fake WeChat Pay .* refused with NODE_ENV=production/),
    ]);
    expect(
      problemsOf({ NODE_ENV: 'production', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', ALLOW_TEST_CLOCK: '1', WECHATPAY_MCHID: '1900000001' }),
    ).toEqual([
      expect.stringMatching(/ALLOW_TEST_CLOCK=1 is refused/),
      'WECHATPAY_SERIAL_NO: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)',
      'WECHATPAY_PRIVATE_KEY_PATH: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)',
      'WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)',
      'WECHATPAY_PLATFORM_SERIAL: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)',
      'WECHATPAY_APIV3_KEY: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)',
      'WECHATPAY_NOTIFY_URL: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)',
    ]);
  });

  it('fakes WeChat Pay only when asked for by name, never for missing settings', () => {
    const realLogin = { WECHAT_APPID: 'wx1234567890abcdef', WECHAT_SECRET: 's3cret' };
    // Real WeChat login and no payment settings: payments are off, whatever NODE_ENV says.
    for (const nodeEnv of [undefined, 'development', 'test', 'production']) {
      expect(loadConfig({ ...realLogin, ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}) }).pay).toEqual({ mode: 'off' });
    }
    expect(loadConfig({ ...realLogin, WECHATPAY_MODE: 'fake' }).pay).toEqual({ mode: 'fake' });
    expect(loadConfig({ WECHAT_MODE: 'fake' }).pay).toEqual({ mode: 'fake' });
    expect(problemsOf({ ...realLogin, NODE_ENV: 'production', WECHATPAY_MODE: 'fake' })).toEqual([
      expect.stringMatching(/fake WeChat Pay .* refused with NODE_ENV=production/),
    ]);
    expect(problemsOf({ ...realLogin, WECHATPAY_MODE: 'real' })).toContain('WECHATPAY_MCHID: needed when WECHATPAY_MODE=real');
    expect(problemsOf({ WECHATPAY_MODE: 'sandbox' })).toEqual([expect.stringMatching(/^WECHATPAY_MODE: must be fake or real/)]);
  });

  it('refuses any NODE_ENV but development, test and production, naming the allowed values', () => {
    for (const typo of ['prod', 'Production', 'staging', 'dev', 'PRODUCTION ']) {
      expect(problemsOf({ NODE_ENV: typo })).toEqual([
        expect.stringMatching(/^NODE_ENV: must be one of development, test, production/),
      ]);
    }
    expect(loadConfig({}).nodeEnv).toBe('development');
    expect(loadConfig({ NODE_ENV: 'test' }).nodeEnv).toBe('test');
  });

  it('reads rate limits as points per duration, on by default, and refuses RATE_LIMITS=off in production', () => {
    const defaults = loadConfig({}).rateLimits;
    expect(defaults.enabled).toBe(true);
    expect(defaults.policies.login).toEqual({ per: 'ip', points: 1000, durationSeconds: 60 });
    expect(defaults.policies.contentWrite).toEqual({ per: 'member', points: 30, durationSeconds: 60 });
    expect(defaults.policies.consoleLogin).toEqual({ per: 'ip', points: 300, durationSeconds: 60 });
    const tuned = loadConfig({ RATE_LIMIT_LOGIN: '5000/10m', RATE_LIMIT_CONTENT_WRITE: '100/1h', RATE_LIMITS: 'off' }).rateLimits;
    expect(tuned).toMatchObject({ enabled: false, policies: { login: { points: 5000, durationSeconds: 600 }, contentWrite: { points: 100, durationSeconds: 3600 } } });
    expect(problemsOf({ RATE_LIMIT_LOGIN: 'lots', RATE_LIMIT_STAFF_WRITE: '0/1m', RATE_LIMITS: 'no' })).toEqual([
      expect.stringMatching(/^RATE_LIMITS: must be on or off/),
      expect.stringMatching(/^RATE_LIMIT_LOGIN: must look like 30\/1m/),
      expect.stringMatching(/^RATE_LIMIT_STAFF_WRITE: must look like 30\/1m/),
    ]);
    const production = { NODE_ENV: 'production', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', RATE_LIMITS: 'off' };
    expect(problemsOf(production)).toEqual([expect.stringMatching(/RATE_LIMITS=off .* refused with NODE_ENV=production/)]);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'checkin:' });
    expect(problemsOf({ REDIS_URL: '127.0.0.1:6379' })).toEqual([expect.stringMatching(/^REDIS_URL: must look like redis:\/\//)]);
  });

  it('keeps uploads under DATA_DIR unless S3_BUCKET names a bucket, and refuses half an S3 setting', () => {
    expect(loadConfig({ DATA_DIR: '/srv/data' }).storage).toEqual({ kind: 'local', dir: path.resolve('/srv/data/uploads') });
    expect(
      loadConfig({
        S3_BUCKET: 'photos-1250000000', S3_ENDPOINT: 'https://cos.ap-shanghai.myqcloud.com/', S3_REGION: 'ap-shanghai',
        S3_ACCESS_KEY_ID: 'AKID', S3_SECRET_ACCESS_KEY: 'secret', S3_KEY_PREFIX: 'prod/',
      }).storage,
    ).toEqual({
      kind: 's3', bucket: 'photos-1250000000', endpoint: 'https://cos.ap-shanghai.myqcloud.com', region: 'ap-shanghai',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, forcePathStyle: false, keyPrefix: 'prod/', timeoutMs: 5000,
    });
    expect(loadConfig({ S3_BUCKET: 'uploads', S3_FORCE_PATH_STYLE: '1' }).storage).toMatchObject({ region: 'us-east-1', forcePathStyle: true, credentials: undefined });
    expect(problemsOf({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'a' })).toEqual([
      expect.stringMatching(/^S3_ENDPOINT, S3_ACCESS_KEY_ID: set S3_BUCKET too/),
    ]);
    expect(problemsOf({ S3_BUCKET: 'uploads', S3_ACCESS_KEY_ID: 'a' })).toEqual([expect.stringMatching(/S3_SECRET_ACCESS_KEY: set both/)]);
    expect(problemsOf({ S3_BUCKET: 'ab' })).toEqual([expect.stringMatching(/^S3_BUCKET: must be a bucket name: 3-63/)]);
    expect(problemsOf({ S3_BUCKET: 'uploads', S3_ENDPOINT: 'minio:9000' })).toEqual([expect.stringMatching(/^S3_ENDPOINT: must be an http\(s\) URL/)]);
  });
});
