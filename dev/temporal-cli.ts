/**
 * Finds the Temporal CLI (which carries the dev server), or builds it from the Go module proxy.
 * Order: TEMPORAL_CLI_PATH; `temporal` on PATH; the project's .cache/; `go install`, with the Go on
 * PATH or, when there is none, one downloaded from the Go module proxy (dev/go-toolchain.ts).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../common/config';
import { ensureGoToolchain } from './go-toolchain';

/** The newest CLI tag whose go.mod has no `replace` directive (which `go install` refuses). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const cacheDir = path.join(projectRoot, '.cache', 'temporal-cli');
const cachedBinary = path.join(cacheDir, 'temporal');

const HOW_TO_INSTALL = [
  'Install the Temporal CLI in one of these ways, then run the command again:',
  `  - set TEMPORAL_CLI_PATH to an existing "temporal" binary;`,
  '  - put "temporal" on your PATH (https://docs.temporal.io/cli#install);',
  `  - install Go 1.25+ and let this script run: go install ${TEMPORAL_CLI_MODULE}`,
].join('\n');

export class TemporalCliNotFound extends Error {
  override name = 'TemporalCliNotFound';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function goInstall(go: string, log: (line: string) => void): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  // Build into a scratch folder and rename, so an interrupted build never leaves a broken binary.
  const scratch = mkdtempSync(path.join(cacheDir, 'build-'));
  const started = Date.now();
  log(`building the Temporal CLI with "go install ${TEMPORAL_CLI_MODULE}" (first run only; about 6 minutes on 2 cores)…`);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
        env: { ...process.env, GOBIN: scratch },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with ${code}`))));
    });
    renameSync(path.join(scratch, 'temporal'), cachedBinary);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s: ${cachedBinary}`);
  return cachedBinary;
}

export async function findTemporalCli(
  explicitPath: string | undefined,
  log: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<string> {
  if (explicitPath) {
    if (isExecutable(explicitPath)) return explicitPath;
    throw new TemporalCliNotFound(`TEMPORAL_CLI_PATH is "${explicitPath}", which is not an executable file.\n${HOW_TO_INSTALL}`);
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  if (existsSync(cachedBinary) && isExecutable(cachedBinary)) return cachedBinary;
  try {
    const go = onPath('go') ?? (await ensureGoToolchain({ cacheDir: path.join(projectRoot, '.cache', 'go'), log }));
    return await goInstall(go, log);
  } catch (error) {
    throw new TemporalCliNotFound(`Building the Temporal CLI failed: ${(error as Error).message}\n${HOW_TO_INSTALL}`);
  }
}
