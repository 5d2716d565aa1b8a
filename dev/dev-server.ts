/**
 * Starts `temporal server start-dev` and waits until it answers, instead of sleeping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  cliPath: string;
  ip: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file that keeps history across restarts; in memory when absent. */
  dbFile?: string;
  headless?: boolean;
  /** The server's own output goes here. */
  logFile: string;
  /** `--dynamic-config-value KEY=VALUE` settings; DEV_SERVER_SETTINGS when absent. */
  dynamicConfig?: Record<string, unknown>;
  /** The Web UI asks this endpoint to decode encrypted payloads for people. */
  uiCodecEndpoint?: string;
  /** Prometheus metrics on this port (a random one when absent). */
  metricsPort?: number;
  readyTimeoutMs?: number;
}

/**
 * New workflow and activity tasks reach matching through the history service's transfer queue,
 * whose reader polls at most 20 times a second by default: up to 50 ms before a worker sees each
 * task. Unthrottled, a single task takes 20 ms instead of 50, and one through the activity task
 * queue 33 instead of 150 (bench/latency.ts, 1 December). On a shared cluster the limit protects the
 * database; that is its operator's call.
 */
export const UNTHROTTLED_TRANSFER_QUEUE: Record<string, unknown> = { 'history.transferProcessorMaxPollRPS': 1000 };

/**
 * The CLI makes its dev server re-read the search attribute table from the database on every
 * lookup, so that one created a moment ago is usable at once; every workflow start and every
 * visibility record looks them up. This project defines no search attributes of its own, so the
 * server's ordinary cache will do: 22 % less server CPU per task, single task p50 21 → 16 ms
 * (bench/latency.ts, medians of three interleaved rounds).
 * One created by hand with `temporal operator search-attribute create` shows within the cache's
 * refresh interval (a minute) instead of at once.
 */
const CACHED_SEARCH_ATTRIBUTES: Record<string, unknown> = { 'system.forceSearchAttributesCacheRefreshOnRead': false };

/** The embedded server's settings: both of the above. */
export const DEV_SERVER_SETTINGS: Record<string, unknown> = { ...UNTHROTTLED_TRANSFER_QUEUE, ...CACHED_SEARCH_ATTRIBUTES };

export interface DevServer {
  address: string;
  uiUrl: string | undefined;
  process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not gone within 10 s. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now (tests pick theirs this way to run beside `npm start`). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once the namespace can be described; rejects after the timeout. */
export async function waitForTemporal(address: string, namespace: string, timeoutMs: number, exited?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const reason = exited?.();
    if (reason) throw new Error(reason);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Temporal at ${address} was not ready within ${timeoutMs / 1000} s: ${(lastError as Error)?.message}`);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const address = `${options.ip}:${options.port}`;
  const args = ['server', 'start-dev', '--ip', options.ip, '--port', String(options.port), '--namespace', options.namespace];
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.metricsPort) args.push('--metrics-port', String(options.metricsPort));
  for (const [key, value] of Object.entries(options.dynamicConfig ?? DEV_SERVER_SETTINGS)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = `the Temporal dev server exited (${signal ?? code}) before it was ready; see ${options.logFile}`;
      resolve();
    });
  });

  try {
    await waitForTemporal(address, options.namespace, options.readyTimeoutMs ?? 60_000, () => exitReason);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    address,
    uiUrl: options.headless ? undefined : `http://localhost:${options.uiPort}`,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
