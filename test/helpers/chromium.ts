/**
 * Debian's chromium for browser tests, installed with apt when missing (the test machine is a
 * throw-away Debian container where tests run as root), and launched the way a headless CI box
 * needs: no sandbox, no GPU, no background traffic, a fresh profile every time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Installs the `chromium` package unless it is there; needs root (apt). Takes minutes the first time. */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM_PATH} is missing and installing it needs root: run "apt-get install -y chromium" as root`);
  }
  log('chromium is missing; installing it with apt-get (first run only)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args: string[]) => execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 15 * 60_000 });
  apt('update');
  apt('install', '-y', '--no-install-recommends', 'chromium');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is not there`);
  return CHROMIUM_PATH;
}

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless chromium with a fresh profile, deleted again on close. */
export async function launchChromium(): Promise<HeadlessChromium> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'quiz-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
