/**
 * `quiz schedules …`: Celery beat's table as Temporal schedules. schedules/ does the work and
 * writes the text for people (it is also `npm run schedules`); this adds --json and exit codes.
 */
import {
  deleteSchedule,
  describeSchedule,
  listSchedules,
  parseSchedulesCommand,
  pauseSchedule,
  runSchedulesCommand,
  scheduleIdFor,
  SCHEDULES_USAGE,
  scheduleTable,
  ScheduleTableError,
  syncSchedules,
  triggerSchedule,
  UnknownScheduleError,
  unpauseSchedule,
  UsageError,
  type ScheduleTable,
} from '../../schedules';
import type { TaskClient } from '../../client';
import type { Command, OptionValues } from '../cli/command';
import { CliError, ExitCode } from '../cli/output';

/** The same commands as data, for --json. */
async function asData(client: TaskClient, table: ScheduleTable, args: string[]): Promise<unknown> {
  const { command, id, dryRun, note } = parseSchedulesCommand(args);
  const scheduleId = id === undefined ? '' : scheduleIdFor(table, id);
  switch (command) {
    case 'list':
      return listSchedules(client, table);
    case 'sync':
      return syncSchedules(client, table, { dryRun });
    case 'describe':
      return describeSchedule(client, table, scheduleId);
    case 'trigger':
      return { scheduleId, ...(await triggerSchedule(client, scheduleId)) };
    case 'pause':
      return pauseSchedule(client, scheduleId, note).then(() => ({ scheduleId, paused: true }));
    case 'unpause':
      return unpauseSchedule(client, scheduleId, note).then(() => ({ scheduleId, paused: false }));
    default:
      return deleteSchedule(client, scheduleId).then(() => ({ scheduleId, deleted: true }));
  }
}

/** Back to the argument list schedules/ parses, from what the dispatcher already parsed. */
function scheduleArgs(positionals: string[], options: OptionValues): string[] {
  const args = [...positionals];
  if (options['dry-run']) args.push('--dry-run');
  if (typeof options.note === 'string') args.push('--note', options.note);
  return args;
}

export const schedules: Command = {
  name: 'schedules',
  args: '<list|sync|describe|trigger|pause|unpause|delete> [id]',
  summary: 'the periodic jobs (Celery beat) as Temporal schedules',
  help: SCHEDULES_USAGE.replace(/^usage: npm run schedules -- <command>\n/, ''),
  options: { 'dry-run': { type: 'boolean' }, note: { type: 'string' } },
  async run({ client, config, out }, positionals, options) {
    const args = scheduleArgs(positionals, options);
    try {
      parseSchedulesCommand(args); // usage errors before connecting
      const quiz = await client();
      const table = scheduleTable(config);
      const output = out.json ? await asData(quiz, table, args) : await runSchedulesCommand(quiz, table, args);
      out.result(output, String);
    } catch (error) {
      if (error instanceof UsageError) throw new CliError(ExitCode.usage, error.message);
      if (error instanceof UnknownScheduleError) throw new CliError(ExitCode.failed, error.message);
      // The table is the code's, not the command line's; nothing was changed.
      if (error instanceof ScheduleTableError) throw new CliError(ExitCode.failed, error.problems.join('; '));
      throw error;
    }
  },
};
