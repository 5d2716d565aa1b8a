/**
 * The command line's dispatcher: picks the subcommand, parses its options, runs it, and turns
 * whatever ended it into an exit code with one line of explanation. bin/quiz.ts runs it for
 * the process; tests run it in-process with their own streams and environment.
 */
import { parseArgs } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/common';
import { TaskFailedError, TaskRequestError, TaskTimeoutError } from '../../client';
import { ConfigError, loadConfig, type Env } from '../../common/config';
import { active } from '../commands/active';
import { registered } from '../commands/registered';
import { result } from '../commands/result';
import { cancel, terminate } from '../commands/revoke';
import { schedules } from '../commands/schedules';
import { start } from '../commands/start';
import { status } from '../commands/status';
import { watch } from '../commands/watch';
import { arity, type Command } from './command';
import { createContext } from './context';
import { CliError, ExitCode, Output, type Writable } from './output';

export interface QuizIo {
  stdout: Writable;
  stderr: Writable;
  env: Env;
}

const commands: Command[] = [active, registered, start, status, result, watch, cancel, terminate, schedules];

const GLOBAL_HELP = `Usage: quiz <command> [arguments] [--json]

Commands:
${commands.map((c) => `  ${`${c.name} ${c.args}`.padEnd(28)} ${c.summary}`).join('\n')}

Options for every command:
  --json   print one JSON document for scripts instead of text
  --help   explain a command: quiz <command> --help

Temporal is found through the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
TEMPORAL_TASK_QUEUE, TLS and API key settings), as the worker finds it.

Exit codes: 0 ok; 1 the task failed or was revoked, or no execution has that id;
2 usage error; 3 Temporal unreachable or configuration invalid; 4 --timeout reached;
70 an unexpected error (a bug: please report it with the message).`;

function commandHelp(command: Command): string {
  return [`Usage: quiz ${command.name} ${command.args}`.trimEnd() + ' [--json]', '', command.summary, command.help ?? '']
    .join('\n')
    .trimEnd();
}

/** Turns whatever ended the command into an exit code and the one line that explains it. */
function explain(error: unknown, out: Output): { code: ExitCode; reason: string } {
  if (error instanceof CliError) return { code: error.exitCode, reason: error.message };
  if (error instanceof TaskRequestError) return { code: ExitCode.usage, reason: error.message };
  if (error instanceof ConfigError) return { code: ExitCode.unavailable, reason: `configuration: ${error.message}` };
  if (error instanceof WorkflowNotFoundError) {
    return { code: ExitCode.failed, reason: `no task with id "${error.workflowId}"` };
  }
  if (error instanceof TaskTimeoutError) return { code: ExitCode.timeout, reason: error.message };
  if (error instanceof TaskFailedError) {
    const status = error.name === 'TaskRevokedError' ? 'REVOKED' : 'FAILURE';
    // Scripts get the failure as data on stdout too, in the same shape as a result.
    if (out.json) out.result({ id: error.taskId, status, error: { type: error.type, message: error.message, nonRetryable: error.nonRetryable } }, () => '');
    return { code: ExitCode.failed, reason: `${status} ${error.taskId}: ${error.type ? `${error.type}: ` : ''}${error.message}` };
  }
  return { code: ExitCode.internal, reason: `unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}

export async function runQuiz(argv: string[], io: QuizIo): Promise<ExitCode> {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const command = commands.find((c) => c.name === name);
  const wantsJson = argv.includes('--json');
  const out = new Output(wantsJson, io.stdout);
  if (!command) {
    if (name === undefined && argv.includes('--help')) {
      io.stdout.write(GLOBAL_HELP + '\n');
      return ExitCode.ok;
    }
    io.stderr.write(`${name ? `unknown command "${name}"` : 'no command given'}; run "quiz --help"\n`);
    return ExitCode.usage;
  }

  const args = [...argv];
  args.splice(argv.indexOf(command.name), 1);
  let context: ReturnType<typeof createContext> | undefined;
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { json: { type: 'boolean' }, help: { type: 'boolean' }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(commandHelp(command) + '\n');
      return ExitCode.ok;
    }
    const { min, max } = arity(command);
    if (positionals.length < min || positionals.length > max) {
      throw new CliError(ExitCode.usage, `usage: quiz ${command.name} ${command.args}`.trimEnd());
    }
    context = createContext(loadConfig(io.env), out);
    return (await command.run(context, positionals, values)) ?? ExitCode.ok;
  } catch (error) {
    // parseArgs reports unknown options and missing values with a code of its own.
    const usage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const { code, reason } = usage ? { code: ExitCode.usage, reason: (error as Error).message } : explain(error, out);
    io.stderr.write(`quiz ${command.name}: ${reason}\n`);
    return code;
  } finally {
    await context?.close();
  }
}
