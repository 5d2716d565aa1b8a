/**
 * The one place that reads the environment. Everything else receives a `Config`.
 * Every setting has a default that works on a developer machine with nothing configured.
 */
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..');

export interface TemporalTlsConfig {
  /** PEM file of the CA that signed the server certificate (omit to use the system roots). */
  serverRootCaCertPath?: string;
  /** mTLS: PEM client certificate and its private key. */
  clientCertPath?: string;
  clientKeyPath?: string;
  /** Overrides the name checked against the server certificate. */
  serverNameOverride?: string;
}

export interface Config {
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** Where people open the Web UI; printed by the start script and the CLI. */
    webUiUrl: string;
    /** Turns TLS on; also implied by any TLS file or an API key. */
    tls: TemporalTlsConfig | undefined;
    apiKey: string | undefined;
  };
  devServer: {
    /** Explicit path to the `temporal` CLI binary; found or built when unset. */
    cliPath: string | undefined;
    /** SQLite file of the dev server started by `npm start`, so a restart keeps history. */
    dbFile: string;
    ip: string;
    port: number;
    uiPort: number;
  };
  paths: {
    varDir: string;
    /** .eml files land here when no SMTP server is configured. */
    mailOutboxDir: string;
    /** Downloads and files to process; tasks refuse paths outside it. */
    dataDir: string;
    /** Uploaded images; optimizeImage refuses paths outside it. */
    mediaDir: string;
    /** Generated .xlsx reports (not /tmp: they must outlive a reboot and be linkable). */
    reportsDir: string;
  };
  database: {
    /** postgres://… selects PostgreSQL; unset means the SQLite file below. */
    url: string | undefined;
    sqliteFile: string;
    /** cleanupOldSessions deletes expired sessions this many per statement, never all at once. */
    sessionCleanupBatchSize: number;
  };
  http: {
    /** The guide's `requests.get(url, timeout=10)`. */
    requestTimeoutMs: number;
    /** fetchDataFromApi refuses JSON bodies larger than this. */
    maxResponseBytes: number;
    /** downloadFile refuses files larger than this. */
    maxDownloadBytes: number;
  };
  images: {
    /** Decompression-bomb guard: images with more pixels are refused before decoding. */
    maxPixels: number;
  };
  app: {
    host: string;
    port: number;
    /** Largest JSON request body the web app accepts. */
    bodyLimitBytes: number;
    /** Largest image upload the web app accepts. */
    uploadLimitBytes: number;
  };
  schedules: {
    /** Time zone of the schedule table unless an entry names its own. */
    timezone: string;
    /** The guide's every-10-seconds `test-task` is only for testing: off unless asked for. */
    enableTestTask: boolean;
  };
  /** 32-byte AES-256-GCM key (base64); when set, payloads are encrypted on client and worker. */
  payloadEncryptionKey: Buffer | undefined;
  /** The HTTP endpoint the Web UI calls to show encrypted payloads to people who may see them. */
  codecServer: {
    host: string;
    port: number;
    /** Only pages from this origin (the Web UI) may call it. */
    allowedOrigin: string;
  };
  mail: {
    /** smtp://user:pass@host:port or smtps://…; unset means "write .eml files". */
    smtpUrl: string | undefined;
    from: string;
    admins: string[];
  };
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

const MiB = 1024 * 1024;

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function encryptionKey(env: Env): Buffer | undefined {
  const raw = env.PAYLOAD_ENCRYPTION_KEY;
  if (!raw) return undefined;
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('PAYLOAD_ENCRYPTION_KEY must be 32 bytes, base64-encoded (try: openssl rand -base64 32)');
  }
  return key;
}

function list(raw: string | undefined, fallback: string[]): string[] {
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const upper = raw.toUpperCase() as T;
  if (!allowed.includes(upper)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return upper;
}

function tlsFrom(env: Env): TemporalTlsConfig | undefined {
  const tls: TemporalTlsConfig = {
    serverRootCaCertPath: env.TEMPORAL_TLS_CA || undefined,
    clientCertPath: env.TEMPORAL_TLS_CERT || undefined,
    clientKeyPath: env.TEMPORAL_TLS_KEY || undefined,
    serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME || undefined,
  };
  if (Boolean(tls.clientCertPath) !== Boolean(tls.clientKeyPath)) {
    throw new ConfigError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (mTLS needs both)');
  }
  const anyFile = Object.values(tls).some(Boolean);
  const wanted = env.TEMPORAL_TLS === 'true' || env.TEMPORAL_TLS === '1';
  return anyFile || wanted || env.TEMPORAL_API_KEY ? tls : undefined;
}

export function loadConfig(env: Env = process.env): Config {
  const varDir = path.resolve(projectRoot, env.QUIZ_VAR_DIR || 'var');
  const devPort = integer(env, 'TEMPORAL_PORT', 7233);
  const devUiPort = integer(env, 'TEMPORAL_UI_PORT', devPort + 1000);
  const devIp = env.TEMPORAL_IP || '127.0.0.1';
  const webUiUrl = env.TEMPORAL_WEB_UI_URL || `http://localhost:${devUiPort}`;
  return {
    temporal: {
      address: env.TEMPORAL_ADDRESS || `${devIp}:${devPort}`,
      namespace: env.TEMPORAL_NAMESPACE || 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE || 'quiz-code',
      webUiUrl,
      tls: tlsFrom(env),
      apiKey: env.TEMPORAL_API_KEY || undefined,
    },
    devServer: {
      cliPath: env.TEMPORAL_CLI_PATH || undefined,
      dbFile: path.resolve(varDir, env.TEMPORAL_DB_FILE || 'temporal.db'),
      ip: devIp,
      port: devPort,
      uiPort: devUiPort,
    },
    paths: {
      varDir,
      mailOutboxDir: path.resolve(varDir, env.MAIL_OUTBOX_DIR || 'mail'),
      dataDir: path.resolve(varDir, env.DATA_DIR || 'data'),
      mediaDir: path.resolve(varDir, env.MEDIA_DIR || 'media'),
      reportsDir: path.resolve(varDir, env.REPORTS_DIR || 'reports'),
    },
    database: {
      url: env.DATABASE_URL || undefined,
      sqliteFile: path.resolve(varDir, env.SQLITE_FILE || 'app.db'),
      sessionCleanupBatchSize: integer(env, 'SESSION_CLEANUP_BATCH_SIZE', 1_000),
    },
    http: {
      requestTimeoutMs: integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 10_000),
      maxResponseBytes: integer(env, 'HTTP_MAX_RESPONSE_BYTES', 10 * MiB),
      maxDownloadBytes: integer(env, 'HTTP_MAX_DOWNLOAD_BYTES', 200 * MiB),
    },
    images: {
      maxPixels: integer(env, 'IMAGE_MAX_PIXELS', 50_000_000),
    },
    app: {
      host: env.APP_HOST || '127.0.0.1',
      port: integer(env, 'APP_PORT', 8000),
      bodyLimitBytes: integer(env, 'APP_BODY_LIMIT_BYTES', 64 * 1024),
      uploadLimitBytes: integer(env, 'APP_UPLOAD_LIMIT_BYTES', 25 * MiB),
    },
    schedules: {
      timezone: env.SCHEDULE_TIMEZONE || 'UTC',
      enableTestTask: flag(env, 'SCHEDULE_TEST_TASK'),
    },
    payloadEncryptionKey: encryptionKey(env),
    codecServer: {
      host: env.CODEC_SERVER_HOST || '127.0.0.1',
      port: integer(env, 'CODEC_SERVER_PORT', 8089),
      allowedOrigin: env.CODEC_SERVER_ALLOWED_ORIGIN || new URL(webUiUrl).origin,
    },
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.MAIL_FROM || 'noreply@quiz-code.com',
      admins: list(env.ADMIN_EMAILS, ['admin@quiz-code.com']),
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const, 'INFO'),
  };
}
