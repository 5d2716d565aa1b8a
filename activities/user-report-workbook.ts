/**
 * The workbook of the guide's `generate_user_report`, without the task around it (no Temporal,
 * no mail), so the benchmark measures exactly the code the task runs. The rows are read here and
 * written by a thread with a capped heap (xlsx-thread.ts).
 *
 * Report types:
 * - `summary`: one sheet, "Сводка": the user, overall figures and a per-topic table.
 * - `full`: the same, plus "Попытки" with every attempt, oldest first.
 */
import { combineFigures, type Repository } from '../db/repository';
import { toDate, type User } from '../db/schema';
import { attemptsSheet, dateTime, figureLines, summarySheet } from './report-sheets';
import { writeXlsxInThread, type XlsxThreadOptions } from './xlsx-thread';

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
  options: XlsxThreadOptions,
): Promise<{ attempts: number; rows: number }> {
  // Queried when the writer asks for the summary, just after the writing thread is started, so
  // the query and the thread's start-up overlap.
  let attempts = 0;
  const summary = summarySheet(async () => {
    const topics = await repository.topicFigures({ userId: user.id });
    const overall = combineFigures(topics);
    attempts = overall.attempts;
    return {
      lines: [
        ['Пользователь', user.username],
        ['Email', user.email],
        ['Зарегистрирован', dateTime(toDate(user.date_joined))],
        ['Тип отчёта', reportType],
        [],
        ...figureLines(overall),
      ],
      topics,
    };
  });
  const sheets = reportType === 'full' ? [summary, attemptsSheet(repository.attemptPageTexts(user.id, ATTEMPT_PAGE_SIZE))] : [summary];
  const { rows } = await writeXlsxInThread(target, sheets, options);
  return { attempts, rows };
}
