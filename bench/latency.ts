/**
 * Start-to-result latency of a single trivial task (addNumbers), a 3-step chain and a 3-way group,
 * and the throughput of many single tasks started at once from one client (with each task's
 * start-to-close time and any redone work, from the server's records); once per set of
 * Temporal's latency levers, so each lever's worth is measured, not assumed.
 *
 *   npx tsx bench/latency.ts                       # every setup, 200 runs each, 3,000 for throughput
 *   npx tsx bench/latency.ts --runs 300 --burst 5000 --only "local activity + eager"   # one setup
 *   npx tsx bench/latency.ts --only "eager,kept" --rounds 3   # those setups in turn, 3 times; medians
 *
 * Each setup gets its own in-memory dev server (the eager-activity lever is a server setting),
 * worker and client in this process, on the same machine, as the targets assume.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { chain, createTaskClient, group, type TaskClient } from '../client';
import { loadConfig } from '../common/config';
import { installRuntime } from '../common/logger';
import { DEV_SERVER_SETTINGS, UNTHROTTLED_TRANSFER_QUEUE, freePort, startDevServer } from '../dev/dev-server';
import { findTemporalCli } from '../dev/temporal-cli';
import { createQuizWorker, type QuizWorkerOptions } from '../workers/worker';
import { bundleWorkflows } from '../workers/workflow-bundle';

interface Setup {
  name: string;
  /** addNumbers as a local activity (the catalogue's choice) or through the activity task queue. */
  localActivity: boolean;
  /** The client asks the server to hand the first workflow task straight to this process's worker. */
  eagerWorkflowStart: boolean;
  /** Dev server settings (dynamic config) the setup adds. */
  server?: Record<string, unknown>;
  tuning?: QuizWorkerOptions['tuning'];
}

/** Server: an activity scheduled by a workflow task goes straight back to that worker. */
const EAGER_ACTIVITY_DISPATCH = { 'system.enableActivityEagerExecution': true };

// More workflow-task slots and pollers for a burst of 3,000 starts: a waiting poller takes a task
// straight from matching (sync match) instead of the server writing it to its database first.
// Measured, not kept: on 2 shared cores a burst's tasks wait at the server, not at the worker, and
// interleaved rounds put it within the noise of the SDK's defaults (see the README's figures).
const tuned: QuizWorkerOptions['tuning'] = {
  maxConcurrentWorkflowTaskPolls: 20,
  maxConcurrentWorkflowTaskExecutions: 200,
  maxConcurrentLocalActivityExecutions: 200,
  maxCachedWorkflows: 1000,
};

const setups: Setup[] = [
  { name: 'baseline: activity via task queue', localActivity: false, eagerWorkflowStart: false },
  { name: '+ eager activity dispatch', localActivity: false, eagerWorkflowStart: false, server: EAGER_ACTIVITY_DISPATCH },
  { name: '+ unthrottled transfer queue', localActivity: false, eagerWorkflowStart: false, server: UNTHROTTLED_TRANSFER_QUEUE },
  { name: 'local activity', localActivity: true, eagerWorkflowStart: false },
  { name: 'local activity + unthrottled transfer queue', localActivity: true, eagerWorkflowStart: false, server: UNTHROTTLED_TRANSFER_QUEUE },
  { name: 'local activity + eager workflow start', localActivity: true, eagerWorkflowStart: true },
  { name: 'local + eager + unthrottled queue', localActivity: true, eagerWorkflowStart: true, server: UNTHROTTLED_TRANSFER_QUEUE },
  // dev/dev-server.ts's settings: the unthrottled queue and the server's search attribute cache.
  { name: 'kept: … + search attribute cache', localActivity: true, eagerWorkflowStart: true, server: DEV_SERVER_SETTINGS },
  { name: 'kept + tuned worker', localActivity: true, eagerWorkflowStart: true, server: DEV_SERVER_SETTINGS, tuning: tuned },
];

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/**
 * CPU time a process has used, in ms (Linux /proc; clock ticks are 1/100 s there). How much of it
 * the dev server spends per task bounds throughput whatever the client and worker do.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Calls the frontend has served, by operation, from the dev server's Prometheus metrics. */
async function frontendCalls(metricsPort: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const calls = new Map<string, number>();
  for (const [, labels, value] of text.matchAll(/^service_requests\{([^}]*)\} (\S+)$/gm)) {
    const operation = /operation="([^"]+)"/.exec(labels)?.[1];
    if (operation && labels.includes('service_name="frontend"')) calls.set(operation, (calls.get(operation) ?? 0) + Number(value));
  }
  return calls;
}

const WARM_UP = 20;
const METRICS_FLUSH_MS = 2_000;
interface BurstTail {
  /** Each burst task's time from its start to its close, by the server's clock, in ms. */
  startToClose: Percentiles;
  /** Tasks whose history is longer than the shortest: a workflow task timed out or failed and ran again. */
  redone: number;
}

/** One setup's figures in one round. */
interface Figures {
  single: Percentiles;
  chained: Percentiles;
  grouped: Percentiles;
  tasksPerSecond: number;
  burstTail: BurstTail;
  /** The server's CPU ms and its calls per single task. */
  serverCpuMs: number;
  serverCalls: Map<string, number>;
}

async function latency(runs: number, once: () => Promise<unknown>): Promise<Percentiles> {
  for (let i = 0; i < WARM_UP; i++) await once(); // JIT, workflow cache, connections
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

// The server refuses more concurrent long polls per namespace than this (frontend.namespaceCount,
// 1,200 by default); each result() waiting is one.
const RESULT_WAITERS = 1000;

async function throughput(quiz: TaskClient, burst: number): Promise<{ tasksPerSecond: number; burstTail: BurstTail }> {
  const startedAt = new Date();
  const started = performance.now();
  // Thousands of starts queue up at the server; give them longer than one call's usual deadline.
  const handles = await quiz.temporal.withDeadline(Date.now() + 300_000, () =>
    Promise.all(Array.from({ length: burst }, (_, i) => quiz.tasks.addNumbers.delay(i, 1))),
  );
  const results: number[] = [];
  let next = 0;
  const waiter = async () => {
    for (let i = next++; i < burst; i = next++) results[i] = await handles[i].result();
  };
  await Promise.all(Array.from({ length: Math.min(RESULT_WAITERS, burst) }, waiter));
  const seconds = (performance.now() - started) / 1000;
  const wrong = results.filter((sum, i) => sum !== i + 1).length;
  if (wrong) throw new Error(`${wrong} of ${burst} results were wrong`);
  const burstTail = await burstHistories(quiz, new Set(handles.map((handle) => handle.id)), startedAt);
  return { tasksPerSecond: burst / seconds, burstTail };
}

/**
 * How long each of a burst's tasks took from its start to its close, as the server recorded them,
 * and how many had work redone: a workflow task that waits too long at a busy worker times out and
 * runs again, which the rate alone hides but the history's length shows.
 */
async function burstHistories(quiz: TaskClient, ids: Set<string>, since: Date): Promise<BurstTail> {
  // Visibility records are written after the results are sent; give them a few seconds to arrive.
  for (let attempt = 0; ; attempt++) {
    const durations: number[] = [];
    const lengths: number[] = [];
    for await (const execution of quiz.temporal.workflow.list({ query: `StartTime >= "${since.toISOString()}"` })) {
      if (!ids.has(execution.workflowId) || !execution.closeTime) continue;
      durations.push(execution.closeTime.getTime() - execution.startTime.getTime());
      lengths.push(execution.historyLength);
    }
    if (durations.length === ids.size) {
      const shortest = Math.min(...lengths);
      return { startToClose: percentiles(durations), redone: lengths.filter((length) => length > shortest).length };
    }
    if (attempt === 20) throw new Error(`visibility lists ${durations.length} of the burst's ${ids.size} tasks as closed`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function measure(setup: Setup, bundle: WorkflowBundle, cliPath: string, runs: number, burst: number): Promise<Figures> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const varDir = mkdtempSync(path.join(os.tmpdir(), 'quiz-bench-'));
  const server = await startDevServer({
    cliPath,
    ip: '127.0.0.1',
    port,
    uiPort: 0,
    headless: true,
    namespace: 'default',
    logFile: path.join(varDir, 'temporal.log'),
    metricsPort,
    // Only the settings the setup names, so each lever is measured from the server's defaults.
    dynamicConfig: setup.server ?? {},
  });
  const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: server.address, QUIZ_VAR_DIR: varDir, LOG_LEVEL: 'WARN' });
  // Eager workflow start needs the client on the worker's own connection; sharing it costs nothing otherwise.
  const connection = await NativeConnection.connect({ address: server.address });
  const worker = await createQuizWorker({ config, connection, taskQueue: 'bench', workflowBundle: bundle, tuning: setup.tuning });
  const running = worker.run();
  const quiz = await createTaskClient({
    config,
    connection,
    taskQueue: 'bench',
    eagerStart: setup.eagerWorkflowStart,
    // Through the task queue, a burst's activity can wait behind thousands of calls at the server for
    // longer than its 10 s limit; the catalogue gives addNumbers no retries, which would end the run.
    policies: setup.localActivity ? undefined : { addNumbers: { local: false, maxRetries: 3 } },
  });
  try {
    const { addNumbers } = quiz.tasks;
    const [cpuBefore, callsBefore] = [cpuMs(server.process.pid!), await frontendCalls(metricsPort)];
    const single = await latency(runs, async () => (await addNumbers.delay(1, 2)).result());
    // The server reports its metrics every second: wait for the last runs to be counted.
    const serverCpuMs = (cpuMs(server.process.pid!) - cpuBefore) / (runs + WARM_UP);
    await new Promise((r) => setTimeout(r, METRICS_FLUSH_MS));
    const calls = [...(await frontendCalls(metricsPort))].map(([operation, n]) => [operation, (n - (callsBefore.get(operation) ?? 0)) / (runs + WARM_UP)] as const);
    const serverCalls = new Map(calls.filter(([, n]) => n >= 0.05));
    const chained = await latency(runs, async () => (await chain(addNumbers.s(1, 2), addNumbers.s(3), addNumbers.s(4)).delay()).result());
    const grouped = await latency(runs, async () => (await group(addNumbers.s(1, 2), addNumbers.s(3, 4), addNumbers.s(5, 6)).delay()).result());
    report([setup.name, ms(single), ms(chained), ms(grouped)]);
    const { tasksPerSecond, burstTail } = await throughput(quiz, burst);
    report([tasksPerSecond.toFixed(0), tail(burstTail)], '\n');
    return { single, chained, grouped, tasksPerSecond, burstTail, serverCpuMs, serverCalls };
  } finally {
    await worker.shutdown();
    await running;
    await connection.close();
    await server.stop();
    rmSync(varDir, { recursive: true, force: true });
  }
}

const WIDTHS = [44, 16, 16, 16, 10, 30];
const BURST_COLUMNS = 2;
const row = (cells: string[], from = 0) => cells.map((cell, i) => cell.padEnd(WIDTHS[from + i])).join('');
/** Prints as soon as a figure is known: a setup takes minutes. */
const report = (cells: string[], end = '') => {
  const from = cells.length === BURST_COLUMNS ? WIDTHS.length - BURST_COLUMNS : 0;
  process.stdout.write(row(cells, from) + end);
};

const ms = ({ p50, p99 }: Percentiles) => `${p50.toFixed(1)} / ${p99.toFixed(1)}`;
const tail = ({ startToClose: { p50, p99, max }, redone }: BurstTail) =>
  `${[p50, p99, max].map((value) => (value / 1000).toFixed(1)).join(' / ')}${redone ? `, ${redone} redone` : ''}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Each figure's median over the rounds (a p99 or max too is the median of the rounds' p99s or maxima). */
function medianFigures(rounds: Figures[]): Figures {
  const of = (pick: (figures: Figures) => Percentiles): Percentiles => ({
    p50: median(rounds.map((figures) => pick(figures).p50)),
    p99: median(rounds.map((figures) => pick(figures).p99)),
    max: median(rounds.map((figures) => pick(figures).max)),
  });
  return {
    single: of((f) => f.single),
    chained: of((f) => f.chained),
    grouped: of((f) => f.grouped),
    tasksPerSecond: median(rounds.map((f) => f.tasksPerSecond)),
    burstTail: { startToClose: of((f) => f.burstTail.startToClose), redone: median(rounds.map((f) => f.burstTail.redone)) },
    serverCpuMs: median(rounds.map((f) => f.serverCpuMs)),
    serverCalls: rounds[0].serverCalls,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      burst: { type: 'string', default: '3000' },
      only: { type: 'string' },
      rounds: { type: 'string', default: '1' },
    },
  });
  const runs = Number(values.runs);
  const burst = Number(values.burst);
  const rounds = Number(values.rounds);
  const wanted = values.only?.split(',');
  const chosen = setups.filter((setup) => !wanted || wanted.some((part) => setup.name.includes(part)));
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'WARN' });
  installRuntime(config);
  const [cliPath, bundle] = await Promise.all([findTemporalCli(config.devServer.cliPath), bundleWorkflows()]);

  process.stdout.write(`${os.cpus().length} cores, Node ${process.version}; ${runs} runs per latency figure, ${burst} tasks in the burst\n`);
  process.stdout.write(`targets: single p50 ≤ 8 ms, chain p50 ≤ 24 ms, group p50 ≤ 20 ms, throughput ≥ 560 tasks/s\n\n`);
  report(['setup', 'single p50/p99', 'chain p50/p99', 'group p50/p99', 'tasks/s', 'burst s p50/p99/max'], '\n');
  // Rounds go through every setup in turn, so a slow spell of a shared machine hits them alike.
  const figures = new Map<string, Figures[]>(chosen.map((setup) => [setup.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const setup of chosen) figures.get(setup.name)!.push(await measure(setup, bundle, cliPath, runs, burst));
  }
  const summary = new Map([...figures].map(([name, perRound]) => [name, medianFigures(perRound)]));
  if (rounds > 1) {
    process.stdout.write(`\nmedian of ${rounds} rounds:\n`);
    for (const [name, { single, chained, grouped, tasksPerSecond, burstTail }] of summary) {
      report([name, ms(single), ms(chained), ms(grouped), tasksPerSecond.toFixed(0), tail(burstTail)], '\n');
    }
  }

  // The floor no client or worker setting can go under: the server's own work per task.
  process.stdout.write('\nTemporal dev server per single task (the server alone; client and worker not counted):\n');
  for (const [name, { serverCpuMs, serverCalls }] of summary) {
    const ceiling = (os.cpus().length * 1000) / serverCpuMs;
    process.stdout.write(`  ${name.padEnd(42)} ${serverCpuMs.toFixed(1)} ms CPU → at most ${ceiling.toFixed(0)} tasks/s on ${os.cpus().length} cores\n`);
    const served = [...serverCalls].map(([operation, n]) => `${operation} ${n.toFixed(2)}`).join(', ');
    process.stdout.write(`  ${''.padEnd(42)} calls: ${served}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
