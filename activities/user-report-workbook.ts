/**
 * The workbook of the guide's `generate_user_report`, without the task around it (no Temporal,
 * no mail), so the benchmark measures exactly the code the task runs.
 *
 * Report types:
 * - `summary`: one sheet, "Сводка": the user, overall figures and a per-topic table.
 * - `full`: the same, plus "Попытки" with every attempt, oldest first.
 */
import { combineFigures, type Repository } from '../db/repository';
import { toDate, type User } from '../db/schema';
import { attemptsSheet, dateTime, figureLines, summarySheet } from './report-sheets';
import { writeXlsx, type SheetSource, type XlsxWriteOptions } from './xlsx-file';

export const REPORT_TYPES = ['summary', 'full'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** Attempts read from the database per query: large enough to be fast, small enough to stay flat. */
export const ATTEMPT_PAGE_SIZE = 1_000;

/** Writes one user's report to `target`: the task's work minus the mail, shared with bench/reports.ts. */
export async function writeUserReport(
  repository: Repository,
  user: User,
  reportType: ReportType,
  target: string,
  options: XlsxWriteOptions,
): Promise<{ attempts: number; rows: number }> {
  const topics = await repository.topicFigures({ userId: user.id });
  const overall = combineFigures(topics);
  const summary = summarySheet(
    [
      ['Пользователь', user.username],
      ['Email', user.email],
      ['Зарегистрирован', dateTime(toDate(user.date_joined))],
      ['Тип отчёта', reportType],
      [],
      ...figureLines(overall),
    ],
    topics,
  );
  const sheets: SheetSource[] =
    reportType === 'full' ? [summary, attemptsSheet(repository.attemptPages(user.id, ATTEMPT_PAGE_SIZE))] : [summary];
  const { rows } = await writeXlsx(target, sheets, options);
  return { attempts: overall.attempts, rows };
}
