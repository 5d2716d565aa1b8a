/**
 * The guide's `generate_user_report(user_id, report_type)`: an .xlsx report of one user's quiz
 * attempts (see user-report-workbook.ts for the report types), written in the reports folder and
 * emailed to the user as an attachment. The workbook is written in a thread with a capped heap
 * (xlsx-thread.ts).
 *
 * Idempotent: the file name depends only on user and type (user-42-full.xlsx), so a second run
 * replaces the first file instead of adding another.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { heartbeat } from '@temporalio/activity';
import { PermanentError } from '../common/errors';
import type { AppDatabase } from '../db/database';
import { createRepository } from '../db/repository';
import type { Config } from '../common/config';
import { checkRecipients, mailDelivery } from './email';
import type { Mailer } from './mailer';
import { executionKey, taskSignal } from './task-context';
import { REPORT_TYPES, writeUserReport, type ReportType } from './user-report-workbook';

export { REPORT_TYPES, type ReportType };

export interface UserReport {
  reportPath: string;
  /** Attempts counted in the report (all of them, also for `summary`). */
  attempts: number;
  messageId: string;
}

function userReportFileName(userId: number, reportType: ReportType): string {
  return `user-${userId}-${reportType}.xlsx`;
}

function isReportType(value: string): value is ReportType {
  return (REPORT_TYPES as readonly string[]).includes(value);
}

export function userReportTasks(deps: { config: Config; mailer: Mailer; db: AppDatabase }) {
  const repository = createRepository(deps.db);
  const deliver = mailDelivery(deps);

  return {
    async generateUserReport(userId: number, reportType: string): Promise<UserReport> {
      if (!isReportType(reportType)) {
        throw new PermanentError(`unknown report type "${reportType}"; use one of: ${REPORT_TYPES.join(', ')}`, {
          type: 'UnknownReportType',
        });
      }
      const user = await repository.findUser(userId);
      if (!user) {
        throw new PermanentError(`user ${userId} does not exist; check the id (reports are made for registered users only)`, {
          type: 'UserNotFound',
        });
      }
      const [to] = checkRecipients([user.email], 'email');

      await mkdir(deps.config.paths.reportsDir, { recursive: true });
      const fileName = userReportFileName(userId, reportType);
      const reportPath = path.join(deps.config.paths.reportsDir, fileName);
      const { attempts } = await writeUserReport(repository, user, reportType, reportPath, {
        key: executionKey(),
        signal: taskSignal(),
        onRows: (rows) => heartbeat({ rows }),
      });

      const { messageId } = await deliver(
        [to],
        'Ваш отчет готов',
        `Здравствуйте, ${user.username}!\n\nОтчёт (${reportType}) по вашим ${attempts} попыткам во вложении: ${fileName}.`,
        [{ filename: fileName, path: reportPath }],
      );
      return { reportPath, attempts, messageId };
    },
  };
}
