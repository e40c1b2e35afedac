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
      expect.stringMatching(/WECHATPAY_MCHID .* fake payments are refused/),
    ]);
    expect(
      problemsOf({ NODE_ENV: 'production', WECHAT_APPID: 'wx1', WECHAT_SECRET: 's', ALLOW_TEST_CLOCK: '1', WECHATPAY_MCHID: '1900000001' }),
    ).toEqual([
      expect.stringMatching(/ALLOW_TEST_CLOCK=1 is refused/),
      'WECHATPAY_SERIAL_NO: needed when WECHATPAY_MCHID is set',
      'WECHATPAY_PRIVATE_KEY_PATH: needed when WECHATPAY_MCHID is set',
      'WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: needed when WECHATPAY_MCHID is set',
      'WECHATPAY_PLATFORM_SERIAL: needed when WECHATPAY_MCHID is set',
      'WECHATPAY_APIV3_KEY: needed when WECHATPAY_MCHID is set',
      'WECHATPAY_NOTIFY_URL: needed when WECHATPAY_MCHID is set',
    ]);
  });
});
