/**
 * `npm run schedules -- <command>`: the schedule table and Temporal's schedules from a shell.
 * A thin layer: parses the command line, calls schedules/, prints.
 */
import { parseArgs } from 'node:util';
import { createTaskClient, type TaskClient } from '../client';
import { loadConfig } from '../common/config';
import { formatDetails, formatListing, formatSyncReport } from './format';
import { deleteSchedule, describeSchedule, listSchedules, pauseSchedule, scheduleIdFor, triggerSchedule, unpauseSchedule } from './manage';
import { syncSchedules } from './sync';
import { scheduleTable } from './table';
import type { ScheduleTable } from './types';

export const SCHEDULES_USAGE = `usage: npm run schedules -- <command>
  list                         every schedule with its next run times
  sync [--dry-run]             make Temporal match schedules/table.ts (--dry-run: show the diff only)
  describe ID                  one schedule: spec, policies, state, next and recent runs
  trigger ID                   run it now (under its overlap policy)
  pause ID [--note TEXT]       stop starting runs; the note says why
  unpause ID [--note TEXT]
  delete ID
ID is an entry id of the table (cleanup-sessions) or any schedule id.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

interface ParsedCommand {
  command: string;
  id: string | undefined;
  dryRun: boolean;
  note: string | undefined;
}

export function parseSchedulesCommand(args: string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, note: { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, id, ...extra] = parsed.positionals;
  const needsId = ['describe', 'trigger', 'pause', 'unpause', 'delete'];
  if (!command || ![...needsId, 'list', 'sync'].includes(command)) throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  if (needsId.includes(command) && !id) throw new UsageError(`${command} needs a schedule id`);
  if (extra.length || (!needsId.includes(command) && id)) throw new UsageError(`unexpected "${[id, ...extra].filter(Boolean).join(' ')}"`);
  return { command, id, dryRun: parsed.values['dry-run'] === true, note: parsed.values.note };
}

/** Runs one command and returns what to print. */
export async function runSchedulesCommand(client: TaskClient, table: ScheduleTable, args: string[]): Promise<string> {
  const { command, id, dryRun, note } = parseSchedulesCommand(args);
  const scheduleId = id === undefined ? '' : scheduleIdFor(table, id);
  const inTable = table.entries.some((entry) => table.idPrefix + entry.id === scheduleId);
  switch (command) {
    case 'list':
      return formatListing(await listSchedules(client, table), table.timezone);
    case 'sync':
      return formatSyncReport(await syncSchedules(client, table, { dryRun }));
    case 'describe':
      return formatDetails(await describeSchedule(client, table, scheduleId));
    case 'trigger': {
      const result = await triggerSchedule(client, scheduleId);
      if (result.skipped) return `${scheduleId}: not started, the previous run is still going and the overlap policy says skip`;
      return result.workflowId ? `${scheduleId}: started ${result.workflowId}` : `${scheduleId}: triggered; the run has not shown up yet`;
    }
    case 'pause':
      await pauseSchedule(client, scheduleId, note);
      return `${scheduleId}: paused${inTable ? '\nthe next sync (and npm start) sets the state from the table again; to keep it paused, set paused: true in schedules/table.ts' : ''}`;
    case 'unpause':
      await unpauseSchedule(client, scheduleId, note);
      return `${scheduleId}: unpaused`;
    case 'delete':
      await deleteSchedule(client, scheduleId);
      return `${scheduleId}: deleted${inTable ? '\nit is still in schedules/table.ts, so the next sync creates it again' : ''}`;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  parseSchedulesCommand(args);
  const config = loadConfig();
  const client = await createTaskClient({ config });
  try {
    process.stdout.write(`${await runSchedulesCommand(client, scheduleTable(config), args)}\n`);
  } finally {
    await client.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${SCHEDULES_USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
}
