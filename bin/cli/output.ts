/**
 * How every subcommand talks: its result on stdout (one JSON document with --json, text for
 * people otherwise), a one-line reason on stderr, and an exit code that means something.
 */
import type { Progress } from '../../client';

export const ExitCode = {
  ok: 0,
  /** The task failed or was revoked, or no execution has that id. */
  failed: 1,
  /** The command line itself is wrong: unknown command, missing argument, bad JSON, bad task arguments. */
  usage: 2,
  /** Temporal cannot be reached, or the environment's configuration is invalid. */
  unavailable: 3,
  /** `result --timeout` gave up waiting; the task itself goes on. */
  timeout: 4,
  /** A bug: something failed that has no better code. */
  internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Ends the command with `exitCode` and `message` as the one line on stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** Where output goes: the process's streams, or a test's. `isTTY` turns on in-place redrawing. */
export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: Writable,
  ) {}

  /** The command's result: `data` as JSON for scripts, `human(data)` for people. */
  result<T>(data: T, human: (data: T) => string): void {
    this.stdout.write((this.json ? JSON.stringify(data) : human(data)) + '\n');
  }

  /**
   * A live status line (watch): redrawn in place on a terminal, one line per change when piped,
   * one JSON object per line with --json.
   */
  update<T>(data: T, human: (data: T) => string): void {
    if (this.json) {
      this.stdout.write(JSON.stringify(data) + '\n');
      return;
    }
    const line = human(data);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.stdout.write(this.stdout.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  /** Ends a run of live updates so the next output starts on its own line. */
  endUpdates(): void {
    if (!this.json && this.stdout.isTTY && this.lastLine !== undefined) this.stdout.write('\n');
    this.lastLine = undefined;
  }

  private lastLine: string | undefined;
}

/** Left-aligned columns, headers first; empty cells show as "-". */
export function table(headers: string[], rows: string[][]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => cell || '-'))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

/** `[#########.....]  60%  3/5  PROGRESS  message` */
export function progressBar(progress: Progress, width = 30): string {
  const filled = Math.round((Math.min(progress.percent, 100) / 100) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const attempt = progress.attempt ? ` (attempt ${progress.attempt})` : '';
  const parts = [bar, `${String(progress.percent).padStart(3)}%`, `${progress.current}/${progress.total}`, `${progress.state}${attempt}`];
  if (progress.message) parts.push(progress.message);
  return parts.join('  ');
}

/** A progress cell for tables: "60% 3/5" or "-" when the execution did not answer. */
export function progressCell(progress: Progress | undefined): string {
  return progress ? `${progress.percent}% ${progress.current}/${progress.total}` : '';
}

/** Results for people: strings as they are, anything else as indented JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? 'undefined';
}
