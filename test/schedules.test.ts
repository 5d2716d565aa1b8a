/**
 * Periodic jobs against the real dev server: the guide's beat_schedule synced to Temporal
 * schedules, updates and deletions, ownership, dry runs, refusal of bad tables before the server
 * is touched, and runs that really happen. Each test works under its own id prefix.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError } from '@temporalio/client';
import { CronExpressionParser } from 'cron-parser';
import { openDatabase } from '../db/database';
import { toTimestamp } from '../db/schema';
import {
  CronError,
  UnknownScheduleError,
  ScheduleTableError,
  deleteSchedule,
  describeSchedule,
  formatSyncReport,
  listSchedules,
  parseCron,
  pauseSchedule,
  runSchedulesCommand,
  scheduleTable,
  syncSchedules,
  triggerSchedule,
  unpauseSchedule,
  type ScheduleEntry,
  type ScheduleTable,
} from '../schedules';
import { startWorld, testConfig, type World } from './helpers/world';
import { waitFor } from './helpers/wait';

// A zone with a half-hour offset and no daylight saving: a wrong zone cannot pass by accident.
const ZONE = 'Asia/Kolkata';

let world: World;
const tables: ScheduleTable[] = [];

beforeAll(async () => {
  world = await startWorld({ env: { SCHEDULE_TIMEZONE: ZONE, SCHEDULE_TEST_TASK: 'true' } });
});

afterAll(async () => {
  // Leave nothing firing into a task queue nobody polls any more.
  for (const table of tables) await syncSchedules(world.client, { ...table, entries: [] });
  await world?.close();
});

function tableOf(entries: ScheduleEntry[]): ScheduleTable {
  const table = { idPrefix: `test-${randomUUID().slice(0, 8)}/`, timezone: ZONE, entries };
  tables.push(table);
  return table;
}

const daily: ScheduleEntry = { id: 'daily', task: 'testPeriodic', args: [], cron: '0 3 * * *', catchupWindow: '1h' };
const sum: ScheduleEntry = { id: 'sum', task: 'addNumbers', args: [1, 2], cron: '*/30 * * * *', catchupWindow: '10m', paused: true };

/** The first quarter hour after `from` whose wall clock in `zone` matches: Intl's reading, not the code under test. */
function nextWallClock(zone: string, matches: (clock: { weekday: string; hour: number; minute: number }) => boolean, from: Date): Date {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  const quarter = 15 * 60_000;
  for (let t = Math.floor(from.getTime() / quarter) * quarter + quarter; ; t += quarter) {
    const parts = Object.fromEntries(format.formatToParts(t).map((part) => [part.type, part.value]));
    if (matches({ weekday: parts.weekday, hour: Number(parts.hour), minute: Number(parts.minute) })) return new Date(t);
  }
}

/**
 * Sync, then wait until the server lists what the table holds: sync finds the schedules to delete
 * in that list, which comes from the visibility store and trails a moment behind a create.
 */
async function syncAndAwaitListing(table: ScheduleTable): Promise<void> {
  await syncSchedules(world.client, table);
  const ids = table.entries.map((entry) => table.idPrefix + entry.id);
  await waitFor('the synced schedules to be listed', async () => {
    const listed = new Set((await listSchedules(world.client, table)).map((listing) => listing.scheduleId));
    return ids.every((id) => listed.has(id)) || undefined;
  });
}

async function exists(scheduleId: string): Promise<boolean> {
  return world.client.temporal.schedule
    .getHandle(scheduleId)
    .describe()
    .then(
      () => true,
      (error) => {
        if (error instanceof ScheduleNotFoundError) return false;
        throw error;
      },
    );
}

test("sync creates the guide's four schedules: its crontabs in the configured zone, SKIP, explicit catch-up", async () => {
  const guide = scheduleTable(world.config);
  expect(guide.entries.map((entry) => entry.id)).toEqual(['cleanup-sessions', 'update-cache', 'weekly-report', 'test-task']);
  const table = { ...guide, idPrefix: `test-${randomUUID().slice(0, 8)}/` };
  tables.push(table);
  const before = new Date();
  const report = await syncSchedules(world.client, table);
  expect(report.changes.map((change) => change.kind)).toEqual(['create', 'create', 'create', 'create']);

  const describe = (id: string) => describeSchedule(world.client, table, table.idPrefix + id);
  const cleanup = await describe('cleanup-sessions');
  expect(cleanup.owned).toBe(true);
  expect(cleanup.shape).toMatchObject({
    when: 'cron 0 3 * * *',
    timezone: ZONE,
    action: `cleanupOldSessions on task queue ${world.worker.taskQueue}, workflow id ${table.idPrefix}cleanup-sessions-<time>`,
    input: '[{"args":[]}]',
    policies: 'overlap SKIP, catch-up window 6h',
    state: 'active',
  });
  expect(cleanup.nextRunTimes[0]).toEqual(nextWallClock(ZONE, ({ hour, minute }) => hour === 3 && minute === 0, before));

  const weekly = await describe('weekly-report');
  expect(weekly.shape.when).toBe('cron 0 9 * * 1');
  expect(weekly.nextRunTimes[0]).toEqual(nextWallClock(ZONE, (c) => c.weekday === 'Mon' && c.hour === 9 && c.minute === 0, before));

  const cache = await describe('update-cache');
  expect(cache.shape.when).toBe('cron 0,30 * * * *');
  expect(cache.nextRunTimes[0]).toEqual(nextWallClock(ZONE, ({ minute }) => minute % 30 === 0, before));

  const tick = await describe('test-task');
  expect(tick.shape.when).toBe('every 10s');
  expect(tick.nextRunTimes[1].getTime() - tick.nextRunTimes[0].getTime()).toBe(10_000);
});

test("the guide's every-10-seconds test-task is in the table only when asked for", () => {
  const ids = (env: Record<string, string>) => scheduleTable(testConfig(env)).entries.map((entry) => entry.id);
  expect(ids({})).not.toContain('test-task');
  expect(ids({ SCHEDULE_TEST_TASK: 'true' })).toContain('test-task');
  expect(scheduleTable(testConfig({})).timezone).toBe('UTC');
});

test('a second sync right after changes nothing and says so', async () => {
  const table = tableOf([daily, sum, { id: 'tick', task: 'testPeriodic', args: [], every: '1h', catchupWindow: '1m', paused: true, note: 'idle' }]);
  await syncSchedules(world.client, table);
  const again = await syncSchedules(world.client, table);
  expect(again.changes).toEqual([]);
  expect(again.unchanged).toHaveLength(3);
  expect(formatSyncReport(again)).toBe('schedules in sync: 3 unchanged, nothing to do');
});

test('changing an entry updates its schedule; removing one deletes it', async () => {
  const table = tableOf([daily, sum]);
  await syncAndAwaitListing(table);

  const changed: ScheduleTable = {
    ...table,
    entries: [{ ...daily, cron: ['0 4 * * *', '15 16 * * SUN'], timezone: 'Europe/Moscow', overlap: 'BUFFER_ONE', paused: true, note: 'maintenance' }],
  };
  const report = await syncSchedules(world.client, changed);
  expect(report.changes.map((change) => [change.kind, change.scheduleId])).toEqual([
    ['update', `${table.idPrefix}daily`],
    ['delete', `${table.idPrefix}sum`],
  ]);
  const update = report.changes[0];
  expect(update.kind === 'update' && update.differences.map((d) => d.field)).toEqual(['when', 'timezone', 'policies', 'state', 'note']);

  const details = await describeSchedule(world.client, table, `${table.idPrefix}daily`);
  expect(details.shape).toMatchObject({
    when: 'cron 0 4 * * *; cron 15 16 * * 0',
    timezone: 'Europe/Moscow',
    policies: 'overlap BUFFER_ONE, catch-up window 1h',
    state: 'paused',
    note: 'maintenance',
  });
  expect(await exists(`${table.idPrefix}sum`)).toBe(false);
  expect((await syncSchedules(world.client, changed)).changes).toEqual([]);

  // Arguments are part of what is compared too.
  const newArgs: ScheduleTable = { ...table, entries: [{ ...sum, args: [2, 3] }] };
  await syncSchedules(world.client, newArgs);
  const argsReport = await syncSchedules(world.client, { ...table, entries: [{ ...sum, args: [2, 4] }] });
  expect(argsReport.changes).toMatchObject([{ kind: 'update', differences: [{ field: 'input', current: '[{"args":[2,3]}]', desired: '[{"args":[2,4]}]' }] }]);
});

test('schedules the table did not create survive every sync', async () => {
  const table = tableOf([daily]);
  const schedules = world.client.temporal.schedule;
  const foreign = [`foreign-${randomUUID()}`, `${table.idPrefix}made-by-hand`];
  for (const scheduleId of foreign) {
    await schedules.create({
      scheduleId,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'testPeriodic', taskQueue: world.worker.taskQueue, args: [{ args: [] }] },
      state: { paused: true },
    });
  }
  try {
    await syncAndAwaitListing(table);
    const report = await syncSchedules(world.client, { ...table, entries: [] });
    expect(report.changes.map((change) => [change.kind, change.scheduleId])).toEqual([['delete', `${table.idPrefix}daily`]]);
    for (const scheduleId of foreign) expect(await exists(scheduleId)).toBe(true);
    const listed = await waitFor('the foreign schedules to be listed', async () => {
      const all = await listSchedules(world.client, table);
      const mine = all.filter((listing) => foreign.includes(listing.scheduleId));
      return mine.length === foreign.length ? mine : undefined;
    });
    expect(listed.map((listing) => listing.owned)).toEqual([false, false]);
  } finally {
    for (const scheduleId of foreign) await schedules.getHandle(scheduleId).delete();
  }
});

test('a dry run reports the diff and changes nothing', async () => {
  const table = tableOf([daily, sum]);
  await syncAndAwaitListing(table);
  const fresh: ScheduleEntry = { id: 'fresh', task: 'testPeriodic', args: [], every: '1h', catchupWindow: '1m', paused: true };
  const changed: ScheduleTable = { ...table, entries: [{ ...daily, cron: '0 5 * * *' }, fresh] };

  const report = await syncSchedules(world.client, changed, { dryRun: true });
  expect(report.dryRun).toBe(true);
  expect(report.changes.map((change) => [change.kind, change.scheduleId])).toEqual([
    ['create', `${table.idPrefix}fresh`],
    ['update', `${table.idPrefix}daily`],
    ['delete', `${table.idPrefix}sum`],
  ]);
  expect(formatSyncReport(report)).toContain(`~ ${table.idPrefix}daily\n    when: cron 0 3 * * * → cron 0 5 * * *`);
  expect(formatSyncReport(report)).toMatch(/dry run, nothing changed: 1 to create, 1 to update, 1 to delete, 0 unchanged$/);

  expect((await describeSchedule(world.client, table, `${table.idPrefix}daily`)).shape.when).toBe('cron 0 3 * * *');
  expect(await exists(`${table.idPrefix}sum`)).toBe(true);
  expect(await exists(`${table.idPrefix}fresh`)).toBe(false);
  // The same diff, applied for real.
  expect((await syncSchedules(world.client, changed)).changes).toEqual(report.changes);
});

test('an invalid table is refused, naming each bad entry, before anything reaches the server', async () => {
  const table = tableOf([
    daily,
    { id: 'bad-cron', task: 'testPeriodic', args: [], cron: '0 25 * * *', catchupWindow: '1h' },
    { id: 'no-such', task: 'noSuchTask' as 'testPeriodic', args: [], cron: '0 3 * * *', catchupWindow: '1h' },
    { id: 'bad-args', task: 'addNumbers', args: [1, 'two'] as unknown as [number, number], every: '1h', catchupWindow: '1h' },
    { id: 'no-window', task: 'testPeriodic', args: [], every: '1h' } as unknown as ScheduleEntry,
    { id: 'bad-every', task: 'testPeriodic', args: [], every: 'soon', catchupWindow: '1h' } as unknown as ScheduleEntry,
  ]);
  const refused = syncSchedules(world.client, table);
  await expect(refused).rejects.toThrow(ScheduleTableError);
  await expect(refused).rejects.toThrow(
    [
      'the schedule table is not valid, nothing was changed:',
      '  bad-cron: cron "0 25 * * *": Constraint error, got value 25 expected range 0-23',
      '  no-such: unknown task "noSuchTask"; registered tasks: addNumbers,',
    ].join('\n'),
  );
  await expect(refused).rejects.toThrow('bad-args: addNumbers: argument 2: Invalid input: expected number, received string');
  await expect(refused).rejects.toThrow("no-window: set catchupWindow: how late a missed run may still start (Temporal's default is a whole year)");
  await expect(refused).rejects.toThrow(`bad-every: every "soon" is not a duration`);
  // The valid entry beside them was not created either.
  expect(await exists(`${table.idPrefix}daily`)).toBe(false);
});

test('cron strings: only what cron-parser and Temporal read alike is accepted, with the reason', () => {
  expect(parseCron('@weekly')).toMatchObject({ minute: [0], hour: [0], dayOfWeek: [0] });
  expect(parseCron('0 9 * * MON-FRI').dayOfWeek).toEqual([1, 2, 3, 4, 5]);
  const refusals: [string, RegExp][] = [
    ['0 3 * * * *', /expected 5 fields .* got 6; seconds and years are not accepted/],
    ['@every 30m', /use the entry's `every` for intervals/],
    ['TZ=Europe/Moscow 0 3 * * *', /give the time zone as the entry's `timezone`/],
    ['@reboot', /unknown shorthand; known ones are @yearly/],
    ['@DAILY', /unknown shorthand/],
    ['0 0 L * *', /day of month "L" is not supported/],
    ['0 0 * * 1#1', /day of week "1#1" is not supported/],
    ['0 0 ? * *', /day of month "\?" is not supported/],
    ['0 9 * * 7', /write Sunday as 0 or SUN/],
    ['0 9 1 * MON', /not both: classic cron runs when either matches, Temporal only when both do/],
    ['61 * * * *', /got value 61 expected range 0-59/],
  ];
  for (const [cron, reason] of refusals) {
    expect(() => parseCron(cron)).toThrow(CronError);
    expect(() => parseCron(cron)).toThrow(reason);
  }
});

test('Temporal fires each accepted cron form exactly when the local check says it would', async () => {
  const forms = ['*/30 * * * *', '5/15 1-5 * JAN,jul *', '0 9 * * MON-FRI', '0 0 * * */2', '@weekly', '@hourly', '0 12 1,15 * *', '10-20/5 3 * * *'];
  const table = tableOf(
    forms.map((cron, i) => ({ id: `form-${i}`, task: 'testPeriodic', args: [], cron, catchupWindow: '1m', paused: true }) as ScheduleEntry),
  );
  const before = new Date();
  await syncSchedules(world.client, table);
  // Equal canonical forms on both sides: the second sync finds nothing to change.
  expect((await syncSchedules(world.client, table)).changes).toEqual([]);
  for (const [i, cron] of forms.entries()) {
    const { nextRunTimes } = await describeSchedule(world.client, table, `${table.idPrefix}form-${i}`);
    expect(nextRunTimes[0].getTime()).toBeGreaterThan(before.getTime());
    const expected = CronExpressionParser.parse(cron, { tz: ZONE, currentDate: new Date(nextRunTimes[0].getTime() - 1000) })
      .take(3)
      .map((date) => date.getTime());
    expect([cron, nextRunTimes.slice(0, 3).map((date) => date.getTime())]).toEqual([cron, expected]);
  }
});

test("the guide's test-task, its interval set to one second, fires at least twice: testPeriodic runs on the queue", async () => {
  const testTask = scheduleTable(world.config).entries.find((entry) => entry.id === 'test-task')!;
  const table = tableOf([{ ...testTask, every: '1s' }]);
  await syncSchedules(world.client, table);
  const scheduleId = `${table.idPrefix}test-task`;
  const runs = await waitFor('two runs', async () => {
    const { recentRuns } = await describeSchedule(world.client, table, scheduleId);
    return recentRuns.length >= 2 ? recentRuns : undefined;
  });
  await pauseSchedule(world.client, scheduleId, 'test over');
  const ranAt = await Promise.all(runs.slice(0, 2).map((run) => world.client.handle<string>(run.workflowId).result()));
  for (const time of ranAt) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(new Set(ranAt).size).toBe(2);
  const workflow = await world.client.temporal.workflow.getHandle(runs[0].workflowId).describe();
  expect(workflow.type).toBe('testPeriodic');
  expect(workflow.taskQueue).toBe(world.worker.taskQueue);
  expect(runs[0].workflowId.startsWith(`${scheduleId}-`)).toBe(true);
});

test('trigger, pause and unpause with a note, delete; unknown ids say so', async () => {
  const table = tableOf([{ ...daily, id: 'manual' }]);
  await syncSchedules(world.client, table);
  const scheduleId = `${table.idPrefix}manual`;

  const { workflowId, skipped } = await triggerSchedule(world.client, scheduleId);
  expect(skipped).toBe(false);
  expect(workflowId).toMatch(new RegExp(`^${scheduleId}-`));
  await expect(world.client.handle<string>(workflowId!).result()).resolves.toMatch(/^\d{4}-/);

  await pauseSchedule(world.client, scheduleId, 'investigating a slow query');
  expect((await describeSchedule(world.client, table, scheduleId)).shape).toMatchObject({ state: 'paused', note: 'investigating a slow query' });
  await unpauseSchedule(world.client, scheduleId, 'fixed');
  expect((await describeSchedule(world.client, table, scheduleId)).shape).toMatchObject({ state: 'active', note: 'fixed' });

  // The table is the truth: the hand-made note and state are set back by the next sync.
  const report = await syncSchedules(world.client, table);
  expect(report.changes).toMatchObject([{ kind: 'update', differences: [{ field: 'note', current: 'fixed', desired: '' }] }]);

  await deleteSchedule(world.client, scheduleId);
  expect(await exists(scheduleId)).toBe(false);
  await expect(triggerSchedule(world.client, scheduleId)).rejects.toThrow(`no schedule "${scheduleId}"`);
  await expect(pauseSchedule(world.client, scheduleId)).rejects.toThrow(UnknownScheduleError);
});

test('the command: sync --dry-run and describe by entry id; usage mistakes are refused', async () => {
  const table = tableOf([daily]);
  const run = (...args: string[]) => runSchedulesCommand(world.client, table, args);
  expect(await run('sync', '--dry-run')).toBe(`+ ${table.idPrefix}daily: cron 0 3 * * * (${ZONE}), active\ndry run, nothing changed: 1 to create, 0 to update, 0 to delete, 0 unchanged`);
  expect(await exists(`${table.idPrefix}daily`)).toBe(false);
  await run('sync');
  expect(await run('describe', 'daily')).toContain(`${table.idPrefix}daily\n  when:      cron 0 3 * * * (${ZONE})`);
  expect(await run('pause', 'daily', '--note', 'quiet please')).toMatch(/paused\nthe next sync .* set paused: true in schedules\/table.ts/);
  await expect(run('launch')).rejects.toThrow('unknown command "launch"');
  await expect(run('trigger')).rejects.toThrow('trigger needs a schedule id');
  await expect(run('list', 'extra')).rejects.toThrow('unexpected "extra"');
});

test('trigger runs cleanup-sessions now: the expired sessions are gone, the live ones remain', async () => {
  const db = await openDatabase(world.config);
  try {
    const now = Date.now();
    const session = (key: string, expiresInMs: number) => ({ session_key: key, session_data: '{}', expire_date: toTimestamp(new Date(now + expiresInMs)) });
    await db.kysely
      .insertInto('sessions')
      .values([session('expired-yesterday', -86_400_000), session('expired-just-now', -1000), session('live-tomorrow', 86_400_000), session('live-next-week', 7 * 86_400_000)])
      .execute();
    const guide = scheduleTable(world.config);
    const table = { ...guide, idPrefix: `test-${randomUUID().slice(0, 8)}/`, entries: guide.entries.filter((entry) => entry.id === 'cleanup-sessions') };
    tables.push(table);
    await syncSchedules(world.client, table);

    const { workflowId } = await triggerSchedule(world.client, `${table.idPrefix}cleanup-sessions`);
    expect(workflowId).toBeDefined();
    await expect(world.client.handle(workflowId!).result()).resolves.toMatchObject({ deleted: 2, message: 'Удалено 2 устаревших сессий' });
    const left = await db.kysely.selectFrom('sessions').select('session_key').orderBy('session_key').execute();
    expect(left.map((row) => row.session_key)).toEqual(['live-next-week', 'live-tomorrow']);
  } finally {
    await db.close();
  }
});
