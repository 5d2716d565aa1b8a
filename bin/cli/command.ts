/** What a subcommand is: its usage line for --help, its options, and what it does. */
import type { ParseArgsConfig } from 'node:util';
import type { TaskClient } from '../../client';
import type { Config } from '../../common/config';
import { CliError, ExitCode, type Output } from './output';

/** How long a running execution's worker gets to answer the progress query. */
export const PROGRESS_TIMEOUT_MS = 2000;

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  config: Config;
  out: Output;
  /** Connected on first use, so `--help` and usage errors never need a server. */
  client(): Promise<TaskClient>;
}

export interface Command {
  name: string;
  /** Positional arguments as shown by --help, e.g. `<task> <json-args>`; `[x]` marks optional ones. */
  args: string;
  summary: string;
  /** Explains options and gives an example; shown by `quiz <command> --help`. */
  help?: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(context: CommandContext, positionals: string[], options: OptionValues): Promise<ExitCode | void>;
}

/** How many positionals a command's `args` line asks for: `<x>` required, `[y]` optional. */
export function arity(command: Command): { min: number; max: number } {
  const required = command.args.match(/<[^>]+>/g)?.length ?? 0;
  const optional = command.args.match(/\[[^\]]+\]/g)?.length ?? 0;
  return { min: required, max: required + optional };
}

/** A non-negative number option, or undefined when absent; anything else is a usage error. */
export function numberOption(options: OptionValues, name: string): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new CliError(ExitCode.usage, `--${name} must be a number, 0 or more; got "${String(raw)}"`);
  }
  return value;
}
