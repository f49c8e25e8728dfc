/**
 * The one configuration module. Web, worker, CLI and dev runner parse the environment here
 * at start; a bad value stops the process with a message naming every bad variable.
 * Durations are written like "3d", "90m", "5s" and become milliseconds.
 */
import { z } from 'zod';
import ms from 'ms';

const duration = z.string().transform((value, ctx) => {
  const parsed = ms(value as ms.StringValue);
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as "90s", "15m" or "3d", got "${value}"` });
    return z.NEVER;
  }
  return parsed;
});

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'expected an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const port = z.coerce.number().int().min(0).max(65535);
/** 32 random bytes, base64 (`openssl rand -base64 32`). */
const aes256Key = z
  .string()
  .refine(
    (v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v),
    'expected 32 bytes, base64 (openssl rand -base64 32)',
  );
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),

  WEB_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: port.default(3000),
  /** Where browsers reach the web app; SAML ACS and SP entity IDs are built from it. */
  PUBLIC_BASE_URL: httpUrl.prefault('http://localhost:3000'),
  /** Signs session cookies. Required in production; development gets a fixed, labelled default. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default('dev-only-session-secret-change-me-0123456789'),
  TRUST_PROXY: bool.default(false),

  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// URL')
    .default('mongodb://127.0.0.1:27017/entrada'),

  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** mTLS client certificate/key files (self-hosted cluster or Temporal Cloud). */
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  /** API key (Temporal Cloud); implies TLS. */
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('entrada'),
  TEMPORAL_UI_URL: httpUrl.prefault('http://localhost:8233'),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected smtp:// or smtps://')
    .default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().default('Entrada <no-reply@entrada.local>'),
  /** Staff mailbox for expiry notices and deletion reports. */
  STAFF_EMAIL: z.string().email().default('onboarding@entrada.local'),

  /** Entra login host: the emulator in development, https://login.microsoftonline.com for real. */
  ENTRA_LOGIN_BASE_URL: httpUrl.prefault('http://127.0.0.1:8300'),
  /** Application (client) ID of Entrada's multi-tenant app registration, used for admin consent. */
  ENTRA_CLIENT_ID: z.string().uuid().default('7d1f0b6e-6f1c-4a55-9d3e-0e6f3c1a2b4c'),
  /** How long a federation metadata fetch waits for Entra (each attempt). */
  METADATA_FETCH_TIMEOUT: duration.prefault('10s'),
  /**
   * A client secret of that app registration: app-only Microsoft Graph tokens (client credentials,
   * per customer tenant) for the groups-overage look-up. Without it an overage sign-in that needs
   * its groups is refused (`groups-lookup-failed`).
   */
  ENTRA_CLIENT_SECRET: z.string().optional(),
  /** Microsoft Graph: the emulator in development, https://graph.microsoft.com for real. */
  GRAPH_BASE_URL: httpUrl.prefault('http://127.0.0.1:8300'),
  /** How long a user's transitive groups from Graph are reused by this process. */
  GRAPH_GROUPS_CACHE_TTL: duration.prefault('5m'),
  /** The longest a sign-in waits out Graph throttling (429 Retry-After) before it is refused. */
  GRAPH_THROTTLE_MAX_WAIT: duration.prefault('10s'),

  /**
   * DNS servers for domain proofs (TXT entrada-verification=<token>), comma-separated host:port;
   * empty = the system's resolvers. Development and tests point it at the emulator's loopback server.
   */
  DNS_SERVERS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** One DNS query's timeout; a check that takes longer reports `timeout` and is retried later. */
  DNS_TIMEOUT: duration.prefault('1500ms'),
  /** How often a pending domain proof is re-checked, and how long it may stay pending. */
  DOMAIN_RECHECK_INTERVAL: duration.prefault('15m'),
  DOMAIN_PROOF_EXPIRY: duration.prefault('14d'),

  CONSENT_REMINDER_INTERVAL: duration.prefault('3d'),
  CONSENT_EXPIRY: duration.prefault('14d'),
  /** How often each live tenancy's SSO connection re-reads its federation metadata (certificate rollover). */
  CONNECTION_REFRESH_INTERVAL: duration.prefault('6h'),
  MIGRATION_SWEEP_INTERVAL: duration.prefault('5m'),
  /** How often a migration campaign re-counts its progress between rounds (migrations happen any time). */
  CAMPAIGN_PROGRESS_INTERVAL: duration.prefault('1h'),
  /** How often expired sessions, claims, SAML rows and rate-limit hits are deleted (lib/expiry.ts). */
  EXPIRY_SWEEP_INTERVAL: duration.prefault('15m'),
  MIGRATION_STALL_THRESHOLD: duration.prefault('10m'),
  /** How long the SAML ACS waits for a running migration before showing the progress page. */
  MIGRATION_ACS_WAIT: duration.prefault('5s'),
  INVITE_TTL: duration.prefault('14d'),
  /**
   * SAML endpoint limits, per minute and for each of sign-in starts, ACS posts and progress
   * polls: per client address and tenancy (an office behind one NAT address signs in through
   * it), and per tenancy (every address together).
   */
  SAML_RATE_LIMIT_PER_IP: z.coerce.number().int().positive().default(300),
  SAML_RATE_LIMIT_PER_TENANT: z.coerce.number().int().positive().default(3000),
  /** Test sign-ins a tenancy's admins may start from the portal per window, all together. */
  TEST_SIGN_IN_LIMIT: z.coerce.number().int().positive().default(20),
  TEST_SIGN_IN_WINDOW: duration.prefault('10m'),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),

  /** SCIM provisioning (lib/scim): defaults a tenancy's settings can override. */
  SCIM_QUARANTINE: duration.prefault('7d'),
  /** How long a rotated-out SCIM secret keeps working, so the client can be switched over. */
  SCIM_TOKEN_OVERLAP: duration.prefault('24h'),
  /** Safety valve: more than this % of a tenancy's users deprovisioned within an hour pauses its purges. */
  SCIM_VALVE_PERCENT: z.coerce.number().min(0).max(100).default(10),
  /** ...but never for fewer deprovisionings than this (a 3-user tenancy may delete 1). */
  SCIM_VALVE_MIN: z.coerce.number().int().min(1).default(3),
  SCIM_RECONCILE_INTERVAL: duration.prefault('24h'),
  /** Encrypts secrets at rest (customers' SIEM app secrets): AES-256-GCM. Required in production. */
  SECRETS_ENCRYPTION_KEY: aes256Key.default('ZGV2LW9ubHktc2VjcmV0cy1rZXktY2hhbmdlLW1lISE='),
  /** Where audit streams get their OAuth tokens: the Logs Ingestion emulator in development, https://login.microsoftonline.com for real. */
  LOGS_INGESTION_AUTHORITY_URL: httpUrl.prefault('http://127.0.0.1:8310'),
  /**
   * The SP's signing key and certificate (PEM) for the LogoutResponses Entrada answers Entra's
   * single-logout requests with (web/saml/idp-logout.ts). Not in the SP metadata, which would then
   * claim signed AuthnRequests; the customer may upload the certificate to Entra as a verification
   * certificate. Without them such a request still ends the sessions, but gets no answer.
   */
  SAML_SP_SIGNING_KEY: z.string().optional(),
  SAML_SP_SIGNING_CERT: z.string().optional(),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = result.data;
  const missing = (['SESSION_SECRET', 'SECRETS_ENCRYPTION_KEY'] as const).filter((name) => !env[name]);
  if (config.NODE_ENV === 'production' && missing.length) {
    throw new ConfigError(missing.map((name) => `${name}: required in production`));
  }
  if (Boolean(config.TEMPORAL_TLS_CERT) !== Boolean(config.TEMPORAL_TLS_KEY)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: set both or neither']);
  }
  if (Boolean(config.SAML_SP_SIGNING_KEY) !== Boolean(config.SAML_SP_SIGNING_CERT)) {
    throw new ConfigError(['SAML_SP_SIGNING_KEY/SAML_SP_SIGNING_CERT: set both or neither']);
  }
  return config;
}

/** For process entry points: parse or print the problems and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
