/**
 * Everyday operations on schedules by id: list with next run times, describe, trigger now, pause
 * and unpause with a note, delete. They work on any schedule of the namespace; the table only
 * decides which ones count as its own.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleNotFoundError, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import type { TaskClient } from '../client/task-client';
import { isOwnedBy } from './plan';
import { shapeOfDescription, type ScheduleShape } from './shape';
import type { ScheduleTable } from './types';

export class UnknownScheduleError extends Error {
  override name = 'UnknownScheduleError';
}

export interface ScheduleListing {
  scheduleId: string;
  /** Created by sync from this table; anything else is left alone by sync. */
  owned: boolean;
  workflowType: string | undefined;
  paused: boolean;
  note: string;
  nextRunTimes: Date[];
}

export interface ScheduleRun {
  workflowId: string;
  scheduledAt: Date;
  takenAt: Date;
}

export interface ScheduleDetails {
  scheduleId: string;
  owned: boolean;
  shape: ScheduleShape;
  nextRunTimes: Date[];
  /** Latest first. */
  recentRuns: ScheduleRun[];
  runningWorkflowIds: string[];
  runsTaken: number;
  skippedForOverlap: number;
  missedCatchupWindow: number;
  createdAt: Date;
}

export interface TriggerResult {
  /** The run the trigger started, once it shows up in the schedule's description. */
  workflowId: string | undefined;
  /** The previous run was still going and the overlap policy said skip. */
  skipped: boolean;
}

/** An entry id of the table (`cleanup-sessions`) becomes its schedule id; anything else is taken as is. */
export function scheduleIdFor(table: ScheduleTable, id: string): string {
  return table.entries.some((entry) => entry.id === id) ? table.idPrefix + id : id;
}

export async function listSchedules(client: TaskClient, table: ScheduleTable): Promise<ScheduleListing[]> {
  const listings: ScheduleListing[] = [];
  for await (const summary of client.temporal.schedule.list()) {
    listings.push({
      scheduleId: summary.scheduleId,
      owned: isOwnedBy(table, summary.scheduleId, summary.memo),
      workflowType: summary.action?.workflowType,
      paused: summary.state.paused,
      note: summary.state.note ?? '',
      nextRunTimes: summary.info.nextActionTimes,
    });
  }
  return listings.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

export async function describeSchedule(client: TaskClient, table: ScheduleTable, scheduleId: string): Promise<ScheduleDetails> {
  const description = await describeKnown(client, scheduleId);
  const { info } = description;
  return {
    scheduleId,
    owned: isOwnedBy(table, scheduleId, description.memo),
    shape: shapeOfDescription(description),
    nextRunTimes: info.nextActionTimes,
    recentRuns: info.recentActions
      .map(({ scheduledAt, takenAt, action }) => ({ workflowId: action.workflow.workflowId, scheduledAt, takenAt }))
      .reverse(),
    runningWorkflowIds: info.runningActions.map((action) => action.workflow.workflowId),
    runsTaken: info.numActionsTaken,
    skippedForOverlap: info.numActionsSkippedOverlap,
    missedCatchupWindow: info.numActionsMissedCatchupWindow,
    createdAt: info.createdAt,
  };
}

/**
 * Starts a run now, under the schedule's own overlap policy (the SDK's default would allow a
 * second copy beside a running one), and waits up to `waitMs` to learn the run's workflow id.
 */
export async function triggerSchedule(client: TaskClient, scheduleId: string, waitMs = 10_000): Promise<TriggerResult> {
  const handle = client.temporal.schedule.getHandle(scheduleId);
  const before = await describeKnown(client, scheduleId);
  const known = new Set(runIds(before));
  await handle.trigger(before.policies.overlap);
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const after = await handle.describe();
    const started = runIds(after).find((id) => !known.has(id));
    if (started) return { workflowId: started, skipped: false };
    if (after.info.numActionsSkippedOverlap > before.info.numActionsSkippedOverlap) return { workflowId: undefined, skipped: true };
    await sleep(200);
  }
  return { workflowId: undefined, skipped: false };
}

export async function pauseSchedule(client: TaskClient, scheduleId: string, note = 'paused by hand'): Promise<void> {
  await known(scheduleId, () => client.temporal.schedule.getHandle(scheduleId).pause(note));
}

export async function unpauseSchedule(client: TaskClient, scheduleId: string, note = 'unpaused by hand'): Promise<void> {
  await known(scheduleId, () => client.temporal.schedule.getHandle(scheduleId).unpause(note));
}

/** Runs already started go on; no new ones start. */
export async function deleteSchedule(client: TaskClient, scheduleId: string): Promise<void> {
  await known(scheduleId, () => client.temporal.schedule.getHandle(scheduleId).delete());
}

function runIds(description: ScheduleDescription): string[] {
  return [
    ...description.info.recentActions.map((run) => run.action.workflow.workflowId),
    ...description.info.runningActions.map((run) => run.workflow.workflowId),
  ];
}

function describeKnown(client: TaskClient, scheduleId: string): Promise<ScheduleDescription> {
  const handle: ScheduleHandle = client.temporal.schedule.getHandle(scheduleId);
  return known(scheduleId, () => handle.describe());
}

async function known<T>(scheduleId: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) {
      throw new UnknownScheduleError(`no schedule "${scheduleId}" (see the list command for the ids there are)`);
    }
    throw error;
  }
}
