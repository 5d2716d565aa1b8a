/**
 * generateUserReport's writer against the guide's `DataFrame.to_excel`, side by side: one user's
 * report with 100k and with 1M attempts, read from the same SQLite file. Every run is a child
 * process of its own, so the peak memory it reports (maxRSS) is that run's alone.
 *
 *   npx tsx bench/reports.ts
 *   npx tsx bench/reports.ts --sizes 100000 --pandas-timeout 120
 *
 * Targets (issue 3): at least 10× pandas' speed; peak memory at 1M rows at most 150 MB and at
 * most 1.3× the 100k-row peak. The pandas venv (.cache/bench-venv) is created on first run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeUserReport } from '../activities/user-report-workbook';
import { loadConfig, projectRoot } from '../common/config';
import { openDatabase, type AppDatabase } from '../db/database';
import { insertDemoData } from '../db/demo-data';
import { createRepository } from '../db/repository';

const workDir = path.join(projectRoot, '.cache', 'bench-reports');
const venv = path.join(projectRoot, '.cache', 'bench-venv');
const python = path.join(venv, 'bin', 'python');

interface RunFigures {
  rows: number;
  seconds: number;
  peakRssMb: number;
}

type Outcome = RunFigures | { timedOutAfter: number };

function open(sqliteFile: string): Promise<AppDatabase> {
  return openDatabase(loadConfig({ ...process.env, QUIZ_VAR_DIR: workDir, SQLITE_FILE: sqliteFile, DATABASE_URL: '' }));
}

/** Child mode: write one report with the task's own code and print the figures. */
async function runOurs(sqliteFile: string, userId: number, target: string): Promise<void> {
  const database = await open(sqliteFile);
  const repository = createRepository(database);
  const started = performance.now();
  const user = (await repository.findUser(userId))!;
  const { rows } = await writeUserReport(repository, user, 'full', target, { key: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  const figures: RunFigures = { rows, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(figures));
}

function ensureVenv(): void {
  if (existsSync(python)) return;
  console.log(`creating ${venv} with pandas and openpyxl (first run only)…`);
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', venv]],
    [path.join(venv, 'bin', 'pip'), ['install', '--quiet', 'pandas', 'openpyxl']],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  }
}

/** One user with `attempts` attempts, kept between runs: building 1M rows takes a while. */
async function ensureDatabase(attempts: number): Promise<{ file: string; userId: number }> {
  const file = path.join(workDir, `attempts-${attempts}.db`);
  const database = await open(file);
  try {
    const row = await database.kysely.selectFrom('quiz_attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    if (Number(row.n) !== attempts) {
      const started = performance.now();
      await database.kysely.deleteFrom('quiz_attempts').execute();
      await database.kysely.deleteFrom('users').execute();
      await insertDemoData(database.kysely, { users: 1, attempts, sessions: 0 });
      console.log(`seeded ${attempts.toLocaleString('en-US')} attempts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const user = await database.kysely.selectFrom('users').select('id').executeTakeFirstOrThrow();
    return { file, userId: user.id };
  } finally {
    await database.close();
  }
}

function runChild(command: string, args: string[], timeoutSeconds: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve({ timedOutAfter: timeoutSeconds });
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as RunFigures);
    });
  });
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

function line(rows: number, writer: string, outcome: Outcome): string {
  if ('timedOutAfter' in outcome) return `${n(rows).padStart(9)}  ${writer.padEnd(22)} > ${outcome.timedOutAfter} s (stopped)`;
  const { seconds, peakRssMb } = outcome;
  return `${n(rows).padStart(9)}  ${writer.padEnd(22)} ${seconds.toFixed(1).padStart(7)} s ${n(rows / seconds).padStart(9)} rows/s ${peakRssMb.toFixed(0).padStart(6)} MB`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      child: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '100000,1000000' },
      'pandas-timeout': { type: 'string', default: '300' },
    },
    allowPositionals: true,
    args: process.argv.slice(2),
  });
  if (values.child) {
    const [file, userId, target] = positionals;
    return runOurs(path.resolve(file), Number(userId), path.resolve(target));
  }
  const sizes = values.sizes.split(',').map(Number);
  const pandasTimeout = Number(values['pandas-timeout']);
  mkdirSync(workDir, { recursive: true });
  ensureVenv();

  const results: { rows: number; ours: RunFigures; pandas: Outcome }[] = [];
  for (const rows of sizes) {
    const { file, userId } = await ensureDatabase(rows);
    // tsx/cjs rather than `--import tsx`: the ESM hooks run in a thread of their own that would add ~35 MB to every figure.
    const ours = (await runChild(process.execPath, ['--require', 'tsx/cjs', __filename, '--child', file, String(userId), path.join(workDir, `ours-${rows}.xlsx`)], 900)) as RunFigures;
    console.log(line(rows, 'streaming (ours)', ours));
    const pandas = await runChild(python, [path.join(__dirname, 'pandas_report.py'), file, String(userId), path.join(workDir, `pandas-${rows}.xlsx`)], pandasTimeout);
    console.log(line(rows, 'pandas DataFrame.to_excel', pandas));
    results.push({ rows, ours, pandas });
  }

  console.log('');
  for (const { rows, ours, pandas } of results) {
    const speedup = 'timedOutAfter' in pandas ? `more than ${(pandas.timedOutAfter / ours.seconds).toFixed(1)}` : (pandas.seconds / ours.seconds).toFixed(1);
    console.log(`${n(rows)} rows: ours is ${speedup}× the speed of pandas (target ≥10×)`);
  }
  const small = results.find((r) => r.rows === 100_000)?.ours;
  const large = results.find((r) => r.rows === 1_000_000)?.ours;
  if (small && large) {
    console.log(`peak memory at 1M rows: ${large.peakRssMb.toFixed(0)} MB (target ≤150 MB), ${(large.peakRssMb / small.peakRssMb).toFixed(2)}× the 100k peak (target ≤1.3×)`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
