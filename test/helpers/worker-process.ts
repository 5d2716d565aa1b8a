/**
 * The worker as its own operating-system process (`workers/main.ts`), for tests that kill it
 * or measure its memory the way production would see it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config, Env } from '../../common/config';
import { projectRoot } from '../../common/config';

export interface WorkerProcess {
  child: ChildProcess;
  /** Peak resident memory so far, in MiB (VmHWM from /proc). */
  peakRssMiB(): number;
  /** Resolves when the worker logged that it polls its task queue. */
  ready: Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startWorkerProcess(config: Config, taskQueue: string, env: Env = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      QUIZ_VAR_DIR: config.paths.varDir,
      LOG_LEVEL: 'INFO',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes('"msg":"worker started"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    child,
    ready,
    peakRssMiB() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
      return Math.round(kb / 1024);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
