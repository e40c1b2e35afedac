import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { WeChatPayConfig } from './platform/wechat/pay/wechat-pay';

/** Everything the server reads from its environment, parsed once at start (DESIGN §3). */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  businessTimeZone: string;
  wechat: WeChatConfig;
  operatorOpenids: string[];
  allowTestClock: boolean;
  nodeEnv: string;
  tokenTtlDays: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  uploads: { dir: string; maxImageBytes: number; maxAudioBytes: number; maxAudioSeconds: number };
  /** How old a group proof's watermark may be. */
  groupProofMaxAgeSeconds: number;
  jobs: { enabled: boolean; tickMs: number };
  /** WeChat Pay v3: `fake` completes payments locally (never in production); `real` needs every key. */
  pay: PayConfig;
}

export type PayConfig = { mode: 'fake' } | ({ mode: 'real' } & Omit<WeChatPayConfig, 'appId' | 'timeoutMs'>);

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'mysql'; url: string; poolSize: number };

export interface WeChatConfig {
  mode: 'fake' | 'real';
  appId: string;
  secret: string;
  apiBase: string;
  timeoutMs: number;
  /** Fake mode's content check: text containing one of these is rejected / held for review. */
  fakeContentCheck: { riskyWords: string[]; reviewWords: string[] };
  /** Subscription-message template ids by purpose; a purpose without an id sends nothing. */
  templates: Record<TemplateKey, string | null>;
  miniprogramState: 'formal' | 'trial' | 'developer';
}

export const templateKeys = ['reminder', 'review', 'offer', 'invitation'] as const;
export type TemplateKey = (typeof templateKeys)[number];

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const integerIn = (min: number, max: number, fallback: number) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional()
      .transform((value) => value ?? fallback),
  );

const flag = optionalText.pipe(
  z
    .enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' })
    .optional()
    .transform((value) => value === '1' || value === 'true'),
);

const envSchema = z.object({
  PORT: integerIn(0, 65535, 3000),
  HOST: optionalText.transform((value) => value ?? '0.0.0.0'),
  DATA_DIR: optionalText.transform((value) => value ?? './data'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^(mysql|mariadb):\/\/.+/, 'must look like mysql://user:pass@host:3306/db (or mariadb://…)')
      .optional(),
  ),
  DATABASE_POOL_SIZE: integerIn(1, 500, 10),
  BUSINESS_TZ: optionalText.transform((value) => value ?? 'Asia/Shanghai'),
  WECHAT_MODE: optionalText.pipe(z.enum(['fake', 'real'], { message: 'must be fake or real' }).optional()),
  WECHAT_APPID: optionalText,
  WECHAT_SECRET: optionalText,
  WECHAT_API_BASE: optionalText.pipe(
    z.url({ message: 'must be an http(s) URL' }).optional(),
  ),
  WECHAT_TIMEOUT_MS: integerIn(1, 60000, 5000),
  OPERATOR_OPENIDS: optionalText,
  ALLOW_TEST_CLOCK: flag,
  NODE_ENV: optionalText.transform((value) => value ?? 'development'),
  TOKEN_TTL_DAYS: integerIn(1, 365, 30),
  LOG_LEVEL: optionalText.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  SHUTDOWN_TIMEOUT_MS: integerIn(0, 120000, 10000),
  UPLOAD_MAX_IMAGE_BYTES: integerIn(1024, 20 * 1024 * 1024, 5 * 1024 * 1024),
  UPLOAD_MAX_AUDIO_BYTES: integerIn(64 * 1024, 20 * 1024 * 1024, 2 * 1024 * 1024),
  UPLOAD_MAX_AUDIO_SECONDS: integerIn(1, 600, 60),
  CONTENT_RISKY_WORDS: optionalText,
  CONTENT_REVIEW_WORDS: optionalText,
  GROUP_PROOF_MAX_AGE_HOURS: integerIn(1, 24 * 7, 24),
  WECHAT_TEMPLATE_REMINDER: optionalText,
  WECHAT_TEMPLATE_REVIEW: optionalText,
  WECHAT_TEMPLATE_OFFER: optionalText,
  WECHAT_TEMPLATE_INVITATION: optionalText,
  WECHAT_MINIPROGRAM_STATE: optionalText.pipe(z.enum(['formal', 'trial', 'developer']).optional()),
  JOBS_ENABLED: optionalText.pipe(z.enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' }).optional()),
  JOBS_TICK_MS: integerIn(100, 3_600_000, 30_000),
  WECHATPAY_MCHID: optionalText,
  WECHATPAY_SERIAL_NO: optionalText,
  WECHATPAY_PRIVATE_KEY_PATH: optionalText,
  WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: optionalText,
  WECHATPAY_PLATFORM_SERIAL: optionalText,
  WECHATPAY_APIV3_KEY: optionalText,
  WECHATPAY_NOTIFY_URL: optionalText,
  WECHATPAY_API_BASE: optionalText.pipe(z.url({ message: 'must be an http(s) URL' }).optional()),
});

type ParsedEnv = z.infer<typeof envSchema>;

/** Real WeChat Pay when a merchant id is set: then every key must be there and readable. */
function payConfigOf(e: ParsedEnv, problems: string[]): PayConfig {
  if (!e.WECHATPAY_MCHID) {
    if (e.NODE_ENV === 'production') problems.push('WECHATPAY_MCHID (and the other WECHATPAY_* settings) are needed in production: fake payments are refused there');
    return { mode: 'fake' };
  }
  const required = {
    WECHATPAY_SERIAL_NO: e.WECHATPAY_SERIAL_NO,
    WECHATPAY_PRIVATE_KEY_PATH: e.WECHATPAY_PRIVATE_KEY_PATH,
    WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: e.WECHATPAY_PLATFORM_PUBLIC_KEY_PATH,
    WECHATPAY_PLATFORM_SERIAL: e.WECHATPAY_PLATFORM_SERIAL,
    WECHATPAY_APIV3_KEY: e.WECHATPAY_APIV3_KEY,
    WECHATPAY_NOTIFY_URL: e.WECHATPAY_NOTIFY_URL,
  };
  for (const [name, value] of Object.entries(required)) if (!value) problems.push(`${name}: needed when WECHATPAY_MCHID is set`);
  if (e.WECHATPAY_APIV3_KEY && e.WECHATPAY_APIV3_KEY.length !== 32) problems.push('WECHATPAY_APIV3_KEY: must be the 32-character APIv3 key');
  const readPem = (name: string, file: string | undefined) => {
    if (!file) return '';
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      problems.push(`${name}: cannot read ${file}`);
      return '';
    }
  };
  return {
    mode: 'real',
    mchId: e.WECHATPAY_MCHID,
    merchantSerialNo: e.WECHATPAY_SERIAL_NO ?? '',
    merchantPrivateKeyPem: readPem('WECHATPAY_PRIVATE_KEY_PATH', e.WECHATPAY_PRIVATE_KEY_PATH),
    platformPublicKeyPem: readPem('WECHATPAY_PLATFORM_PUBLIC_KEY_PATH', e.WECHATPAY_PLATFORM_PUBLIC_KEY_PATH),
    platformSerialNo: e.WECHATPAY_PLATFORM_SERIAL ?? '',
    apiV3Key: e.WECHATPAY_APIV3_KEY ?? '',
    notifyUrl: e.WECHATPAY_NOTIFY_URL ?? '',
    apiBase: (e.WECHATPAY_API_BASE ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, ''),
  };
}

const commaList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];

  if (!isValidTimeZone(e.BUSINESS_TZ)) {
    problems.push(`BUSINESS_TZ: "${e.BUSINESS_TZ}" is not an IANA time zone (e.g. Asia/Shanghai)`);
  }
  const wechatMode = e.WECHAT_MODE ?? (e.WECHAT_SECRET ? 'real' : 'fake');
  if (wechatMode === 'real' && (!e.WECHAT_APPID || !e.WECHAT_SECRET)) {
    problems.push('WECHAT_MODE=real needs WECHAT_APPID and WECHAT_SECRET (from mp.weixin.qq.com → 开发管理 → 开发设置)');
  }
  if (wechatMode === 'fake' && e.NODE_ENV === 'production') {
    problems.push('WECHAT_MODE=fake lets anyone log in as anyone: it is refused with NODE_ENV=production');
  }
  if (e.ALLOW_TEST_CLOCK && e.NODE_ENV === 'production') {
    problems.push('ALLOW_TEST_CLOCK=1 is refused with NODE_ENV=production');
  }
  const pay = payConfigOf(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'mysql', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'sqlite', file: path.join(dataDir, 'checkin.sqlite') },
    businessTimeZone: e.BUSINESS_TZ,
    wechat: {
      mode: wechatMode,
      appId: e.WECHAT_APPID ?? 'wx-fake-appid',
      secret: e.WECHAT_SECRET ?? '',
      apiBase: (e.WECHAT_API_BASE ?? 'https://api.weixin.qq.com').replace(/\/+$/, ''),
      timeoutMs: e.WECHAT_TIMEOUT_MS,
      fakeContentCheck: {
        riskyWords: commaList(e.CONTENT_RISKY_WORDS),
        reviewWords: commaList(e.CONTENT_REVIEW_WORDS),
      },
      // Fake mode has made-up template ids so the whole flow runs offline.
      templates: {
        reminder: e.WECHAT_TEMPLATE_REMINDER ?? (wechatMode === 'fake' ? 'fake-tmpl-reminder' : null),
        review: e.WECHAT_TEMPLATE_REVIEW ?? (wechatMode === 'fake' ? 'fake-tmpl-review' : null),
        offer: e.WECHAT_TEMPLATE_OFFER ?? (wechatMode === 'fake' ? 'fake-tmpl-offer' : null),
        invitation: e.WECHAT_TEMPLATE_INVITATION ?? (wechatMode === 'fake' ? 'fake-tmpl-invitation' : null),
      },
      miniprogramState: e.WECHAT_MINIPROGRAM_STATE ?? 'formal',
    },
    operatorOpenids: commaList(e.OPERATOR_OPENIDS),
    allowTestClock: e.ALLOW_TEST_CLOCK,
    nodeEnv: e.NODE_ENV,
    tokenTtlDays: e.TOKEN_TTL_DAYS,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    uploads: {
      dir: path.join(dataDir, 'uploads'),
      maxImageBytes: e.UPLOAD_MAX_IMAGE_BYTES,
      maxAudioBytes: e.UPLOAD_MAX_AUDIO_BYTES,
      maxAudioSeconds: e.UPLOAD_MAX_AUDIO_SECONDS,
    },
    groupProofMaxAgeSeconds: e.GROUP_PROOF_MAX_AGE_HOURS * 3600,
    pay,
    jobs: { enabled: e.JOBS_ENABLED === undefined || e.JOBS_ENABLED === '1' || e.JOBS_ENABLED === 'true', tickMs: e.JOBS_TICK_MS },
  };
}
