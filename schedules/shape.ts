/**
 * One spelling of everything sync compares about a schedule, so that what the table asks for
 * and what Temporal holds (which stores cron strings as expanded calendars) can be compared
 * field by field, and the difference shown to a person as it is.
 */
import type { ScheduleDescription } from '@temporalio/client';
import { canonicalCron, fieldsOfCalendar, type CalendarFields } from './cron';

export interface ScheduleShape {
  /** "cron 0 3 * * *", "every 10s", several joined with "; ". */
  when: string;
  timezone: string;
  /** Workflow type, task queue and workflow id prefix of the runs it starts. */
  action: string;
  /** The runs' input, as stable JSON. */
  input: string;
  policies: string;
  state: 'active' | 'paused';
  note: string;
}

export interface ShapeParts {
  calendars: readonly CalendarFields[];
  intervals: readonly { every: number; offset: number }[];
  /** Anything else Temporal's spec holds (jitter, skips, start and end); the table sets none. */
  extras: readonly string[];
  timezone: string | undefined;
  workflowType: string;
  taskQueue: string;
  workflowId: string;
  args: readonly unknown[];
  overlap: string;
  catchupWindowMs: number;
  pauseOnFailure: boolean;
  paused: boolean;
  note: string | undefined;
}

export interface ShapeDifference {
  field: keyof ScheduleShape;
  current: string;
  desired: string;
}

export function shapeOf(parts: ShapeParts): ScheduleShape {
  const when = [
    ...parts.calendars.map((calendar) => `cron ${canonicalCron(calendar)}`),
    ...parts.intervals.map(({ every, offset }) => `every ${formatMs(every)}${offset ? ` offset ${formatMs(offset)}` : ''}`),
    ...parts.extras,
  ];
  return {
    when: [...new Set(when)].sort().join('; '),
    // Temporal reads an empty zone as UTC.
    timezone: parts.timezone || 'UTC',
    action: `${parts.workflowType} on task queue ${parts.taskQueue}, workflow id ${parts.workflowId}-<time>`,
    input: stableJson(parts.args),
    policies: `overlap ${parts.overlap}, catch-up window ${formatMs(parts.catchupWindowMs)}${parts.pauseOnFailure ? ', pause on failure' : ''}`,
    state: parts.paused ? 'paused' : 'active',
    note: parts.note ?? '',
  };
}

/** What Temporal holds, in the same spelling as the table's wishes. */
export function shapeOfDescription(description: ScheduleDescription): ScheduleShape {
  const { spec, action, policies, state } = description;
  const extras = [
    spec.jitter ? `jitter ${formatMs(spec.jitter)}` : undefined,
    ...(spec.skip ?? []).map((calendar) => `skip ${canonicalCron(fieldsOfCalendar(calendar))}`),
    spec.startAt ? `from ${spec.startAt.toISOString()}` : undefined,
    spec.endAt ? `until ${spec.endAt.toISOString()}` : undefined,
  ].filter((extra): extra is string => extra !== undefined);
  return shapeOf({
    calendars: (spec.calendars ?? []).map(fieldsOfCalendar),
    intervals: (spec.intervals ?? []).map(({ every, offset }) => ({ every, offset: offset ?? 0 })),
    extras,
    timezone: spec.timezone,
    workflowType: action.workflowType,
    taskQueue: action.taskQueue,
    workflowId: action.workflowId,
    args: action.args ?? [],
    // Unset means the server's default, which is SKIP.
    overlap: policies.overlap ?? 'SKIP',
    catchupWindowMs: policies.catchupWindow,
    pauseOnFailure: policies.pauseOnFailure,
    paused: state.paused,
    note: state.note,
  });
}

export function differences(current: ScheduleShape, desired: ScheduleShape): ShapeDifference[] {
  return (Object.keys(desired) as (keyof ScheduleShape)[])
    .filter((field) => current[field] !== desired[field])
    .map((field) => ({ field, current: current[field], desired: desired[field] }));
}

/** 10000 → "10s", 1800000 → "30m"; the largest unit that divides evenly. */
export function formatMs(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  const unit = units.find(([, size]) => ms >= size && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

/** JSON with sorted keys and without undefined members: equal data, equal text. */
function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((key) => [key, sort((v as Record<string, unknown>)[key])]));
    }
    return v;
  };
  return JSON.stringify(sort(JSON.parse(JSON.stringify(value ?? null))));
}
