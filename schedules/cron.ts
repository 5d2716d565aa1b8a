/**
 * The cron strings the schedule table accepts, checked here before anything reaches the server,
 * and the one canonical way to write a set of calendar times (used to compare the table with
 * what Temporal holds).
 *
 * Accepted is the part of cron syntax that cron-parser (the local check) and Temporal's schedule
 * parser read the same way: five fields, each `*`, `n`, `a-b`, `*\/s`, `n/s`, `a-b/s` or a list
 * of those, month and weekday names of three letters (JAN, MON), and Temporal's shorthands
 * (@yearly … @hourly). Refused, each with its reason: six or seven fields (cron-parser reads a
 * sixth field as seconds in front, Temporal as a year at the end), `L W # ? H`, `@every` (use an
 * entry's `every`), `TZ=` prefixes (use its `timezone`), 7 for Sunday (the TypeScript SDK cannot
 * decode it), and restricting both day of month and day of week (classic cron fires when either
 * matches, Temporal only when both do).
 */
import { DAYS_OF_WEEK, MONTHS, type CalendarSpecDescription, type Range } from '@temporalio/client';
import { CronExpressionParser } from 'cron-parser';

export class CronError extends Error {
  override name = 'CronError';
}

/** A set of calendar times: the values each field matches (Temporal's CalendarSpec, expanded). */
export interface CalendarFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  /** 0 = Sunday. */
  dayOfWeek: number[];
  /** Empty: every year. */
  year: number[];
}

/** Temporal's shorthands (its scheduler's calendar.go), spelled out; matched exactly, as there. */
const SHORTHANDS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELD_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const VALUE = String.raw`(?:\d+|[A-Za-z]{3})`;
const PART = String.raw`(?:\*|${VALUE}(?:-${VALUE})?)(?:/\d+)?`;
const FIELD = new RegExp(`^${PART}(?:,${PART})*$`);

/** Parses one cron string of the table; throws CronError saying what is wrong and what to write. */
export function parseCron(expression: string): CalendarFields {
  const text = expression.trim();
  const refuse = (why: string) => new CronError(`cron "${expression}": ${why}`);
  if (/^(CRON_)?TZ=/.test(text)) throw refuse("give the time zone as the entry's `timezone`, not inside the cron string");
  if (text.startsWith('@every')) throw refuse("use the entry's `every` for intervals, e.g. every: '30m'");
  const spelledOut = SHORTHANDS[text] ?? text;
  if (spelledOut.startsWith('@')) throw refuse(`unknown shorthand; known ones are ${Object.keys(SHORTHANDS).join(', ')}`);

  const fields = spelledOut.split(/\s+/);
  if (fields.length !== 5) {
    const why = `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    throw refuse(fields.length > 5 ? `${why}; seconds and years are not accepted because cron tools disagree on where they go` : why);
  }
  fields.forEach((field, i) => {
    if (!FIELD.test(field)) {
      throw refuse(`${FIELD_NAMES[i]} "${field}" is not supported: use *, n, a-b, */s, a-b/s or lists of these (L, W, #, ? and H mean nothing to Temporal)`);
    }
  });
  const [, , dayOfMonth, , dayOfWeek] = fields;
  const weekdayValues = dayOfWeek.split(',').flatMap((part) => part.split('/')[0].split('-'));
  if (weekdayValues.some((value) => Number(value) === 7)) throw refuse('write Sunday as 0 or SUN');
  if (dayOfMonth !== '*' && dayOfWeek !== '*') {
    throw refuse('restrict the day of month or the day of week, not both: classic cron runs when either matches, Temporal only when both do');
  }

  let parsed;
  try {
    parsed = CronExpressionParser.parse(spelledOut, { tz: 'UTC' }).fields;
  } catch (error) {
    throw refuse(error instanceof Error ? error.message : String(error));
  }
  const numbers = (values: readonly (number | string)[]) => values.map(Number);
  return {
    second: [0],
    minute: numbers(parsed.minute.values),
    hour: numbers(parsed.hour.values),
    dayOfMonth: numbers(parsed.dayOfMonth.values),
    month: numbers(parsed.month.values),
    // cron-parser lists `*` as 0–7, both ends meaning Sunday.
    dayOfWeek: unique(numbers(parsed.dayOfWeek.values).map((day) => day % 7)),
    year: [],
  };
}

/** The same expansion of a calendar as Temporal describes it. */
export function fieldsOfCalendar(calendar: CalendarSpecDescription): CalendarFields {
  return {
    second: expand(calendar.second, Number),
    minute: expand(calendar.minute, Number),
    hour: expand(calendar.hour, Number),
    dayOfMonth: expand(calendar.dayOfMonth, Number),
    month: expand(calendar.month, (month) => MONTHS.indexOf(month) + 1),
    dayOfWeek: expand(calendar.dayOfWeek, (day) => DAYS_OF_WEEK.indexOf(day)),
    year: expand(calendar.year, Number),
  };
}

const DOMAINS = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [0, 6],
} as const;

/**
 * One spelling per set of times, in cron order: "0 3 * * *" (5 fields when the second is 0 and
 * any year matches, otherwise 7: second first, year last, as Temporal reads 7 fields).
 */
export function canonicalCron(fields: CalendarFields): string {
  const text = (name: keyof typeof DOMAINS) => compress(fields[name], DOMAINS[name]);
  const core = [text('minute'), text('hour'), text('dayOfMonth'), text('month'), text('dayOfWeek')].join(' ');
  const plain = fields.second.length === 1 && fields.second[0] === 0 && fields.year.length === 0;
  return plain ? core : `${text('second')} ${core} ${fields.year.length ? compress(fields.year) : '*'}`;
}

function expand<T>(ranges: Range<T>[], toNumber: (value: T) => number): number[] {
  const values: number[] = [];
  for (const range of ranges) {
    const end = Math.max(toNumber(range.end), toNumber(range.start));
    for (let value = toNumber(range.start); value <= end; value += Math.max(range.step, 1)) values.push(value);
  }
  return unique(values);
}

function unique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** "*" for the whole domain, else runs of three or more as a-b: [0, 30] → "0,30", 1..5 → "1-5". */
function compress(values: number[], domain?: readonly [number, number]): string {
  const sorted = unique(values);
  if (domain && sorted.length === domain[1] - domain[0] + 1 && sorted[0] === domain[0]) return '*';
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j += 1;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}
