import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { WeChatPayConfig } from './platform/wechat/pay/wechat-pay';
import type { S3StorageSettings } from './platform/storage/s3-storage';

/** Everything the server reads from its environment, parsed once at start (DESIGN §3). */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  /** The built web console (Vite's output), served at /console/. */
  consoleDir: string;
  database: DatabaseConfig;
  businessTimeZone: string;
  wechat: WeChatConfig;
  operatorOpenids: string[];
  allowTestClock: boolean;
  nodeEnv: NodeEnv;
  tokenTtlDays: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  uploads: UploadSettings;
  /** Where uploaded files are kept: `DATA_DIR/uploads` on this machine, or an S3-compatible bucket. */
  storage: StorageConfig;
  /** How old a group proof's watermark may be. */
  groupProofMaxAgeSeconds: number;
  jobs: { enabled: boolean; tickMs: number };
  /**
   * WeChat Pay v3: `fake` completes payments locally (only when asked for, never in production);
   * `real` needs every key; `off` (real WeChat login without payment settings) refuses to sell.
   */
  pay: PayConfig;
  /** Abuse limits (rate-limiter-flexible): in this process, or in Redis when `redis` is set. */
  rateLimits: RateLimitSettings;
  /** Shared engine for several instances (rate limits today); null: everything stays in-process. */
  redis: { url: string; keyPrefix: string } | null;
  /** How many proxies in front of the server append to X-Forwarded-For (0: ignore the header). */
  trustProxyHops: number;
  /** Days a fulfilled redemption keeps its delivery address (name, phone, address) before it is purged. */
  addressRetentionDays: number;
}

export const nodeEnvs = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof nodeEnvs)[number];

export type PayConfig = { mode: 'fake' } | { mode: 'off' } | ({ mode: 'real' } & Omit<WeChatPayConfig, 'appId' | 'timeoutMs'>);

export interface UploadSettings {
  dir: string;
  maxImageBytes: number;
  maxAudioBytes: number;
  maxAudioSeconds: number;
  /** Bytes one member may upload in any 24 hours. */
  dailyBytesPerMember: number;
  /** Uploads one member may have in progress at once. */
  maxInFlightPerMember: number;
  /** Uploaded files this process holds in memory at once (each is read from a temporary file). */
  maxBuffered: number;
}

/**
 * The rate-limit policies. A route names one (`rateLimit: 'contentWrite'` in its ApiRouter spec;
 * public routes get `anonymous` unless they name another); each is one setting of the form
 * `<points>/<duration>` (`30/1m`, `200/1d`), counted per member or per client IP.
 * To add a policy: one line here, one row in README's settings table.
 */
export const rateLimitPolicies = {
  /** POST /auth/wechat-login: generous, a school or office NAT logs in hundreds at a cohort's start. */
  login: { env: 'RATE_LIMIT_LOGIN', per: 'ip', fallback: '1000/1m' },
  /** Any other route callable without logging in. */
  anonymous: { env: 'RATE_LIMIT_ANONYMOUS', per: 'ip', fallback: '600/1m' },
  /**
   * The console's login: opening a QR ticket, polling it, the development login. A console polls every
   * 1.5 s (40 a minute) and opens a ticket every 2 minutes; 300 lets several consoles behind one
   * office address log in at once, while a script opening tickets writes at most 300 rows a minute.
   */
  consoleLogin: { env: 'RATE_LIMIT_CONSOLE_LOGIN', per: 'ip', fallback: '300/1m' },
  /** A member's writes that go through WeChat's content check (check-ins, nickname, comments). */
  contentWrite: { env: 'RATE_LIMIT_CONTENT_WRITE', per: 'member', fallback: '30/1m' },
  /** Staff writes that go through the content check (reviews): a teacher works through hundreds. */
  staffWrite: { env: 'RATE_LIMIT_STAFF_WRITE', per: 'member', fallback: '300/1m' },
  /** GET /cohorts/:id/poster-code: each new (cohort, member) asks WeChat for a code; its quota is the app's. */
  posterCode: { env: 'RATE_LIMIT_POSTER_CODE', per: 'member', fallback: '20/1h' },
  /** POST /referrals: an open of a share, also before login (then per client address). */
  referral: { env: 'RATE_LIMIT_REFERRAL', per: 'member', fallback: '60/1m' },
  /** Liking and unliking: each like notifies the author, so a script toggling one would flood their notices. */
  like: { env: 'RATE_LIMIT_LIKE', per: 'member', fallback: '120/1m' },
  /** GET /me/data-export: a whole copy of a member's data reads every table; a few a day is plenty. */
  dataExport: { env: 'RATE_LIMIT_DATA_EXPORT', per: 'member', fallback: '5/1h' },
} as const satisfies Record<string, { env: string; per: RateLimitScope; fallback: string }>;

export type RateLimitPolicyName = keyof typeof rateLimitPolicies;
export type RateLimitScope = 'member' | 'ip';

export interface RateLimitPolicy {
  per: RateLimitScope;
  points: number;
  durationSeconds: number;
}

export interface RateLimitSettings {
  /** RATE_LIMITS=off (benchmarks, load tests; refused in production) turns every limit off. */
  enabled: boolean;
  policies: Record<RateLimitPolicyName, RateLimitPolicy>;
}

export type StorageConfig =
  | { kind: 'local'; dir: string }
  | ({ kind: 's3' } & S3StorageSettings);

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
  /** Which version of the Mini Program poster codes open (wxacode env_version). */
  wxaCodeEnv: 'release' | 'trial' | 'develop';
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

const durationUnits = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `<points>/<n><unit>`, e.g. `30/1m`, `1000/1m`, `200/1d` (unit s, m, h or d; n defaults to 1). */
export function parseRateLimit(text: string): { points: number; durationSeconds: number } | null {
  const match = /^(\d{1,9})\s*\/\s*(\d{0,6})\s*([smhd])$/.exec(text.trim());
  if (!match) return null;
  const points = Number(match[1]);
  const durationSeconds = Number(match[2] || '1') * durationUnits[match[3] as keyof typeof durationUnits];
  if (points < 1 || durationSeconds < 1 || durationSeconds > 7 * 86400) return null;
  return { points, durationSeconds };
}

const rateLimitText = optionalText.pipe(
  z.string().refine((text) => parseRateLimit(text) !== null, 'must look like 30/1m (points per s, m, h or d; at most 7 days)').optional(),
);

const envSchema = z.object({
  PORT: integerIn(0, 65535, 3000),
  HOST: optionalText.transform((value) => value ?? '0.0.0.0'),
  DATA_DIR: optionalText.transform((value) => value ?? './data'),
  CONSOLE_DIR: optionalText.transform((value) => value ?? './dist/console'),
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
  NODE_ENV: optionalText.pipe(
    z.enum(nodeEnvs, { message: `must be one of ${nodeEnvs.join(', ')} (a typo must never run as development)` }).optional(),
  ).transform((value) => value ?? 'development'),
  TOKEN_TTL_DAYS: integerIn(1, 365, 30),
  LOG_LEVEL: optionalText.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  SHUTDOWN_TIMEOUT_MS: integerIn(0, 120000, 10000),
  UPLOAD_MAX_IMAGE_BYTES: integerIn(1024, 20 * 1024 * 1024, 5 * 1024 * 1024),
  UPLOAD_MAX_AUDIO_BYTES: integerIn(64 * 1024, 20 * 1024 * 1024, 2 * 1024 * 1024),
  UPLOAD_MAX_AUDIO_SECONDS: integerIn(1, 600, 60),
  UPLOAD_DAILY_MB_PER_MEMBER: integerIn(1, 100_000, 200),
  UPLOAD_MAX_IN_FLIGHT_PER_MEMBER: integerIn(1, 100, 3),
  UPLOAD_MAX_BUFFERED: integerIn(1, 1000, 4),
  ADDRESS_RETENTION_DAYS: integerIn(1, 3650, 90),
  RATE_LIMITS: optionalText.pipe(z.enum(['on', 'off'], { message: 'must be on or off' }).optional()),
  ...(Object.fromEntries(Object.values(rateLimitPolicies).map((policy) => [policy.env, rateLimitText])) as Record<
    (typeof rateLimitPolicies)[RateLimitPolicyName]['env'],
    typeof rateLimitText
  >),
  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\/.+/, 'must look like redis://host:6379 (or rediss://…)').optional()),
  REDIS_KEY_PREFIX: optionalText.pipe(z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 of letters, digits, : _ . -').optional()),
  TRUST_PROXY_HOPS: integerIn(0, 10, 1),
  S3_BUCKET: optionalText.pipe(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3-63 of a-z, 0-9, dot and hyphen (COS: name-appid)').optional()),
  S3_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://cos.ap-shanghai.myqcloud.com' }).optional()),
  S3_REGION: optionalText,
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: flag,
  S3_KEY_PREFIX: optionalText.pipe(z.string().regex(/^(?:[a-z0-9][a-z0-9_-]*\/)+$/, 'must be lower-case folders ending in /, e.g. prod/').optional()),
  S3_TIMEOUT_MS: integerIn(100, 60_000, 5000),
  CONTENT_RISKY_WORDS: optionalText,
  CONTENT_REVIEW_WORDS: optionalText,
  GROUP_PROOF_MAX_AGE_HOURS: integerIn(1, 24 * 7, 24),
  WECHAT_TEMPLATE_REMINDER: optionalText,
  WECHAT_TEMPLATE_REVIEW: optionalText,
  WECHAT_TEMPLATE_OFFER: optionalText,
  WECHAT_TEMPLATE_INVITATION: optionalText,
  WECHAT_MINIPROGRAM_STATE: optionalText.pipe(z.enum(['formal', 'trial', 'developer']).optional()),
  WECHAT_WXACODE_ENV: optionalText.pipe(z.enum(['release', 'trial', 'develop'], { message: 'must be release, trial or develop' }).optional()),
  JOBS_ENABLED: optionalText.pipe(z.enum(['1', '0', 'true', 'false'], { message: 'must be 1 or 0' }).optional()),
  JOBS_TICK_MS: integerIn(100, 3_600_000, 30_000),
  WECHATPAY_MODE: optionalText.pipe(z.enum(['fake', 'real'], { message: 'must be fake or real' }).optional()),
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

/**
 * Fake WeChat Pay only when asked for by name (WECHATPAY_MODE=fake, or implied by WECHAT_MODE=fake),
 * never as the fallback for missing settings; real WeChat Pay with a merchant id (or
 * WECHATPAY_MODE=real), which then needs every key; otherwise payments are `off`.
 */
function payConfigOf(e: ParsedEnv, wechatMode: 'fake' | 'real', problems: string[]): PayConfig {
  const mode = e.WECHATPAY_MODE ?? (e.WECHATPAY_MCHID ? 'real' : wechatMode === 'fake' ? 'fake' : 'off');
  if (mode === 'off') return { mode: 'off' };
  if (mode === 'fake') {
    if (e.NODE_ENV === 'production') problems.push('fake WeChat Pay (WECHATPAY_MODE=fake, or implied by WECHAT_MODE=fake) completes payments nobody made: it is refused with NODE_ENV=production; set the WECHATPAY_* settings');
    return { mode: 'fake' };
  }
  if (!e.WECHATPAY_MCHID) problems.push('WECHATPAY_MCHID: needed when WECHATPAY_MODE=real');
  const required = {
    WECHATPAY_SERIAL_NO: e.WECHATPAY_SERIAL_NO,
    WECHATPAY_PRIVATE_KEY_PATH: e.WECHATPAY_PRIVATE_KEY_PATH,
    WECHATPAY_PLATFORM_PUBLIC_KEY_PATH: e.WECHATPAY_PLATFORM_PUBLIC_KEY_PATH,
    WECHATPAY_PLATFORM_SERIAL: e.WECHATPAY_PLATFORM_SERIAL,
    WECHATPAY_APIV3_KEY: e.WECHATPAY_APIV3_KEY,
    WECHATPAY_NOTIFY_URL: e.WECHATPAY_NOTIFY_URL,
  };
  for (const [name, value] of Object.entries(required)) if (!value) problems.push(`${name}: needed for real WeChat Pay (WECHATPAY_MCHID or WECHATPAY_MODE=real)`);
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
    mchId: e.WECHATPAY_MCHID ?? '',
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
  const pay = payConfigOf(e, wechatMode, problems);
  const s3Names = ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_KEY_PREFIX'] as const;
  if (!e.S3_BUCKET) {
    const stray = s3Names.filter((name) => e[name] !== undefined);
    if (stray.length > 0) problems.push(`${stray.join(', ')}: set S3_BUCKET too, or uploads stay on this machine's disk (DATA_DIR)`);
  } else if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both (or neither, to use the instance role / AWS_* environment)');
  }
  if (e.RATE_LIMITS === 'off' && e.NODE_ENV === 'production') {
    problems.push('RATE_LIMITS=off is for benchmarks and load tests: it is refused with NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    consoleDir: path.resolve(e.CONSOLE_DIR),
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
      wxaCodeEnv: e.WECHAT_WXACODE_ENV ?? 'release',
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
      dailyBytesPerMember: e.UPLOAD_DAILY_MB_PER_MEMBER * 1024 * 1024,
      maxInFlightPerMember: e.UPLOAD_MAX_IN_FLIGHT_PER_MEMBER,
      maxBuffered: e.UPLOAD_MAX_BUFFERED,
    },
    storage: e.S3_BUCKET
      ? {
          kind: 's3',
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT?.replace(/\/+$/, ''),
          region: e.S3_REGION ?? 'us-east-1',
          credentials:
            e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
          keyPrefix: e.S3_KEY_PREFIX ?? '',
          timeoutMs: e.S3_TIMEOUT_MS,
        }
      : { kind: 'local', dir: path.join(dataDir, 'uploads') },
    groupProofMaxAgeSeconds: e.GROUP_PROOF_MAX_AGE_HOURS * 3600,
    pay,
    rateLimits: {
      enabled: e.RATE_LIMITS !== 'off',
      policies: Object.fromEntries(
        Object.entries(rateLimitPolicies).map(([name, policy]) => [
          name,
          { per: policy.per, ...parseRateLimit(e[policy.env] ?? policy.fallback)! },
        ]),
      ) as Record<RateLimitPolicyName, RateLimitPolicy>,
    },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX ?? 'checkin:' } : null,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    addressRetentionDays: e.ADDRESS_RETENTION_DAYS,
    jobs: { enabled: e.JOBS_ENABLED === undefined || e.JOBS_ENABLED === '1' || e.JOBS_ENABLED === 'true', tickMs: e.JOBS_TICK_MS },
  };
}
