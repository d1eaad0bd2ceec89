import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'on');

const emailList = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter((e) => e.length > 0),
  );

const PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

/** An IP address, an address/prefix range, or one of proxy-addr's named ranges. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_PRESETS.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const TRUST_PROXY_HELP = 'list the addresses or CIDR ranges of the proxies in front of the app (e.g. 10.0.0.0/8,127.0.0.1)';

/**
 * Which peers may tell the client's address in X-Forwarded-For: none (false) or the listed proxies.
 * `true` would believe whatever a client writes, lifting every per-IP limit; a hop count cannot tell a
 * proxy from a client that reaches the app directly (Fastify 5 ignores hop counts for that reason).
 */
const trustProxy = z.string().transform((raw, ctx): false | string[] => {
  const value = raw.trim();
  if (value === 'false') return false;
  if (value === 'true' || /^\d+$/.test(value)) {
    const why = value === 'true' ? 'would trust any X-Forwarded-For a client writes' : 'a hop count cannot tell a proxy from a client';
    ctx.addIssue({ code: 'custom', message: `${value} ${why}; ${TRUST_PROXY_HELP}` });
    return z.NEVER;
  }
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `${bad.join(', ') || value} is not an address or range; ${TRUST_PROXY_HELP}` });
    return z.NEVER;
  }
  return entries;
});

/** Every environment variable the server reads; `.env.example` documents each one. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  COOKIE_SECURE: booleanFlag.default(true),
  TRUST_PROXY: trustProxy.default(false),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  ADMIN_EMAILS: emailList,
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).optional(),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  LIVE_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).default(20),
  LIVE_MAX_SOCKETS_PER_IP: z.coerce.number().int().min(1).default(100),
  TEST_CRASH_AFTER_COMMIT: z.string().min(1).optional(),
  AI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  AI_API_KEY: z.string().min(1).optional(),
  AI_MODEL: z.string().min(1).max(200).default('gpt-4o-mini'),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  AI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  AI_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  AI_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
});

/** The AI gateway's provider and resilience settings (features/ai). */
export type AiConfig = {
  /** An OpenAI-compatible server (e.g. https://api.openai.com/v1); unset: the offline provider answers. */
  baseUrl: string | undefined;
  /** Sent to that server only; never logged (see REDACTED_KEYS) nor answered. */
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  /** Retries after the first attempt, for retryable failures only. */
  maxRetries: number;
  /** Consecutive failures that open the breaker. */
  breakerThreshold: number;
  /** How long the breaker stays open before it lets one call try (half-open). */
  breakerHalfOpenMs: number;
};

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  logLevel: string;
  jwtPrivateKey: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  cookieSecure: boolean;
  /** Fastify's `trustProxy`: false, or the addresses/ranges of trusted proxies. */
  trustProxy: false | string[];
  rateLimitsEnabled: boolean;
  adminEmails: string[];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** Mail goes through this SMTP server; without it, to the outbox table (and /dev/mailbox outside production). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Bearer token `/metrics` asks for; open without one (outside production only). */
  metricsToken: string | undefined;
  liveMaxSocketsPerUser: number;
  liveMaxSocketsPerIp: number;
  /** Test only (NODE_ENV=test): the Idempotency-Key after whose commit the process kills itself. */
  crashAfterCommitKey: string | undefined;
  ai: AiConfig;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Loads a dotenv file (`.env` in the working directory) into the environment when there is one, with
 * Node's own parser (the one behind `process.loadEnvFile`): a variable already set in the real environment
 * keeps its value. Entry points call it before `loadConfig`; tests never do, so a developer's `.env`
 * cannot change what they test.
 */
export function loadEnvFileIfPresent(path = '.env', env: NodeJS.ProcessEnv = process.env): boolean {
  if (!existsSync(path)) return false;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (env[name] === undefined) env[name] = value;
  }
  return true;
}

/** Parses the environment once at boot; throws a readable ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const withoutEmpty = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(withoutEmpty);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    const missing = [
      !e.JWT_PRIVATE_KEY && 'JWT_PRIVATE_KEY: required when NODE_ENV=production (a PKCS#8 PEM Ed25519 key)',
      !e.PUBLIC_URL && 'PUBLIC_URL: required when NODE_ENV=production (the https:// address users reach, used in mailed links)',
      !e.METRICS_TOKEN && 'METRICS_TOKEN: required when NODE_ENV=production (the bearer token Prometheus sends to /metrics)',
    ].filter((p) => p !== false);
    if (missing.length > 0) throw new ConfigError(missing);
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    jwtPrivateKey: e.JWT_PRIVATE_KEY?.replace(/\\n/g, '\n'),
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
    cookieSecure: e.COOKIE_SECURE,
    trustProxy: e.TRUST_PROXY,
    rateLimitsEnabled: e.RATE_LIMITS === 'on',
    adminEmails: e.ADMIN_EMAILS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `OneRing <no-reply@${new URL(publicUrl).hostname}>`,
    metricsToken: e.METRICS_TOKEN,
    liveMaxSocketsPerUser: e.LIVE_MAX_SOCKETS_PER_USER,
    liveMaxSocketsPerIp: e.LIVE_MAX_SOCKETS_PER_IP,
    crashAfterCommitKey: e.NODE_ENV === 'test' ? e.TEST_CRASH_AFTER_COMMIT : undefined,
    ai: {
      baseUrl: e.AI_BASE_URL,
      apiKey: e.AI_API_KEY,
      model: e.AI_MODEL,
      timeoutMs: e.AI_TIMEOUT_MS,
      maxRetries: e.AI_MAX_RETRIES,
      breakerThreshold: e.AI_BREAKER_THRESHOLD,
      breakerHalfOpenMs: e.AI_BREAKER_HALF_OPEN_MS,
    },
  };
}
