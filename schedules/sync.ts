/**
 * Makes Temporal's schedules match the table: creates what is missing, updates what differs,
 * deletes what this table created and no longer lists, and leaves every other schedule alone.
 * A dry run computes the same changes and applies none.
 *
 * What to delete is found in the server's list of schedules, which comes from the visibility
 * store and trails a create by a moment: a schedule created a moment ago and already dropped from
 * the table is deleted by the next sync.
 */
import { ScheduleNotFoundError, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import type { TaskClient } from '../client/task-client';
import { isOwnedBy, planSchedules, type PlannedSchedule } from './plan';
import { differences, shapeOfDescription, type ScheduleShape, type ShapeDifference } from './shape';
import type { ScheduleTable } from './types';

export type SyncChange =
  | { kind: 'create'; scheduleId: string; shape: ScheduleShape }
  | { kind: 'update'; scheduleId: string; differences: ShapeDifference[] }
  | { kind: 'delete'; scheduleId: string; shape: ScheduleShape };

export interface SyncReport {
  dryRun: boolean;
  /** In the order they were (or would be) applied: creates, updates, deletes. */
  changes: SyncChange[];
  /** Schedule ids that already matched their entry. */
  unchanged: string[];
}

export interface SyncOptions {
  /** Work out the changes, apply none. */
  dryRun?: boolean;
}

export async function syncSchedules(client: TaskClient, table: ScheduleTable, options: SyncOptions = {}): Promise<SyncReport> {
  const plans = planSchedules(table, client);
  const schedules = client.temporal.schedule;
  type Pending = { change: SyncChange; apply: () => Promise<unknown> };
  const creates: Pending[] = [];
  const updates: Pending[] = [];
  const deletes: Pending[] = [];
  const unchanged: string[] = [];

  for (const plan of plans) {
    const handle = schedules.getHandle(plan.scheduleId);
    const current = await describeIfExists(handle);
    if (!current) {
      creates.push({ change: { kind: 'create', scheduleId: plan.scheduleId, shape: plan.shape }, apply: () => schedules.create(plan.options) });
      continue;
    }
    const changed = differences(shapeOfDescription(current), plan.shape);
    if (changed.length === 0) {
      unchanged.push(plan.scheduleId);
      continue;
    }
    updates.push({
      change: { kind: 'update', scheduleId: plan.scheduleId, differences: changed },
      apply: () => handle.update(() => updateOptions(plan)),
    });
  }

  const wanted = new Set(plans.map((plan) => plan.scheduleId));
  for await (const summary of schedules.list()) {
    if (wanted.has(summary.scheduleId) || !summary.scheduleId.startsWith(table.idPrefix)) continue;
    // The list comes from the visibility store and can trail behind; describe is the truth.
    const handle = schedules.getHandle(summary.scheduleId);
    const current = await describeIfExists(handle);
    if (!current || !isOwnedBy(table, summary.scheduleId, current.memo)) continue;
    deletes.push({
      change: { kind: 'delete', scheduleId: summary.scheduleId, shape: shapeOfDescription(current) },
      apply: () => deleteIfExists(handle),
    });
  }

  const pending = [...creates, ...updates, ...deletes];
  if (!options.dryRun) {
    // One at a time and in order: a failure leaves the rest undone, and the next sync finishes it.
    for (const { apply } of pending) await apply();
  }
  return { dryRun: options.dryRun === true, changes: pending.map(({ change }) => change), unchanged };
}

/** "2 created, 1 updated, 0 deleted, 1 unchanged", or that nothing needed doing. */
export function syncSummary(report: SyncReport): string {
  const count = (kind: SyncChange['kind']) => report.changes.filter((change) => change.kind === kind).length;
  if (report.changes.length === 0) return `schedules in sync: ${report.unchanged.length} unchanged, nothing to do`;
  const verbs = report.dryRun ? ['to create', 'to update', 'to delete'] : ['created', 'updated', 'deleted'];
  const counts = `${count('create')} ${verbs[0]}, ${count('update')} ${verbs[1]}, ${count('delete')} ${verbs[2]}, ${report.unchanged.length} unchanged`;
  return report.dryRun ? `dry run, nothing changed: ${counts}` : `schedules synced: ${counts}`;
}

/** Everything sync sets on update; the memo (ownership mark) cannot be changed and is left out. */
function updateOptions(plan: PlannedSchedule) {
  const { spec, action, policies, state } = plan.options;
  return { spec, action, policies, state: { paused: state?.paused, note: state?.note } };
}

async function describeIfExists(handle: ScheduleHandle): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

async function deleteIfExists(handle: ScheduleHandle): Promise<void> {
  try {
    await handle.delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}
