/**
 * The guide's periodic jobs over the app database (scheduled by the schedule table):
 * `cleanup_old_sessions`, `update_statistics_cache` and `send_weekly_report`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { heartbeat, log } from '@temporalio/activity';
import type { Config } from '../common/config';
import { PermanentError } from '../common/errors';
import type { AppDatabase } from '../db/database';
import { combineFigures, createRepository, type Period } from '../db/repository';
import { checkRecipients, mailDelivery } from './email';
import type { Mailer } from './mailer';
import { figureLines, leaderboardSheet, summarySheet } from './report-sheets';
import { executionKey, taskSignal } from './task-context';
import { writeXlsx } from './xlsx-file';

const DAY_MS = 86_400_000;
/** Rows on the weekly report's leaderboard sheet. */
const WEEKLY_LEADERBOARD_SIZE = 100;

export interface SessionCleanup {
  deleted: number;
  batches: number;
  /** The guide's own return value. */
  message: string;
}

export interface StatisticsCacheUpdate {
  users: number;
  computedAt: string;
}

export interface WeeklyReport {
  /** The week reported on, Monday to Sunday (UTC days), as YYYY-MM-DD. */
  weekStarting: string;
  lastDay: string;
  attempts: number;
  activeUsers: number;
  newUsers: number;
  reportPath: string;
  recipients: string[];
  messageId: string;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The week to report on, Monday 00:00 to the next Monday 00:00 UTC: the one starting on
 * `weekStarting` (YYYY-MM-DD, a Monday) when given, else the last complete week before `now`.
 */
export function reportWeek(weekStarting: string | undefined, now: Date): Period {
  if (weekStarting === undefined) {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const sinceMonday = (new Date(today).getUTCDay() + 6) % 7;
    const from = new Date(today - (sinceMonday + 7) * DAY_MS);
    return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
  }
  const from = new Date(`${weekStarting}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(weekStarting) || Number.isNaN(from.getTime()) || isoDay(from) !== weekStarting) {
    throw new PermanentError(`weekStarting must be a date written YYYY-MM-DD, got "${weekStarting}"`, { type: 'InvalidWeek' });
  }
  if (from.getUTCDay() !== 1) {
    throw new PermanentError(`weekStarting must be a Monday; ${weekStarting} is not`, { type: 'InvalidWeek' });
  }
  return { from, to: new Date(from.getTime() + 7 * DAY_MS) };
}

export function periodicJobs(deps: { config: Config; mailer: Mailer; db: AppDatabase }) {
  const repository = createRepository(deps.db);
  const deliver = mailDelivery(deps);

  return {
    /** Deletes expired sessions a batch at a time until none is left; heartbeats after each batch. */
    async cleanupOldSessions(): Promise<SessionCleanup> {
      // Fixed at the start, so sessions expiring while this runs cannot keep it going for ever.
      const now = new Date();
      const batchSize = deps.config.database.sessionCleanupBatchSize;
      const signal = taskSignal();
      let deleted = 0;
      let batches = 0;
      for (;;) {
        signal.throwIfAborted();
        const count = await repository.deleteExpiredSessionsBatch(now, batchSize);
        if (count === 0) break;
        deleted += count;
        batches += 1;
        heartbeat({ deleted });
        if (count < batchSize) break;
      }
      const message = `Удалено ${deleted} устаревших сессий`;
      log.info(message, { deleted, batches });
      return { deleted, batches, message };
    },

    /** Recomputes every user's figures and the leaderboard (never increments: safe to repeat). */
    async updateStatisticsCache(): Promise<StatisticsCacheUpdate> {
      const computedAt = new Date();
      const users = await repository.recomputeStatisticsCache(computedAt);
      log.info('statistics cache recomputed', { users });
      return { users, computedAt: computedAt.toISOString() };
    },

    /** Last week's figures, with an .xlsx of them, to the admins. */
    async sendWeeklyReport(weekStarting?: string): Promise<WeeklyReport> {
      const week = reportWeek(weekStarting, new Date());
      const recipients = checkRecipients(deps.config.mail.admins, 'ADMIN_EMAILS');
      const lastDay = isoDay(new Date(week.to.getTime() - DAY_MS));
      const [topics, activeUsers, newUsers, leaders] = await Promise.all([
        repository.topicFigures({ period: week }),
        repository.countActiveUsers(week),
        repository.countNewUsers(week),
        repository.periodLeaderboard(week, WEEKLY_LEADERBOARD_SIZE),
      ]);
      const overall = combineFigures(topics);

      await mkdir(deps.config.paths.reportsDir, { recursive: true });
      const fileName = `weekly-report-${isoDay(week.from)}.xlsx`;
      const reportPath = path.join(deps.config.paths.reportsDir, fileName);
      const summary = summarySheet({
        lines: [
          ['Неделя', `${isoDay(week.from)} — ${lastDay}`],
          ['Новых пользователей', newUsers],
          ['Активных пользователей', activeUsers],
          [],
          ...figureLines(overall),
        ],
        topics,
      });
      await writeXlsx(reportPath, [summary, leaderboardSheet(leaders)], {
        key: executionKey(),
        signal: taskSignal(),
        onRows: (rows) => heartbeat({ rows }),
      });

      const text = [
        `Неделя ${isoDay(week.from)} — ${lastDay}:`,
        `новых пользователей: ${newUsers}`,
        `активных пользователей: ${activeUsers}`,
        `попыток: ${overall.attempts}, правильных: ${overall.correctAnswers} (${(overall.accuracy * 100).toFixed(1)}%)`,
        '',
        `Подробности во вложении: ${fileName}.`,
      ].join('\n');
      const { messageId } = await deliver(recipients, `Еженедельный отчёт: ${isoDay(week.from)} — ${lastDay}`, text, [
        { filename: fileName, path: reportPath },
      ]);
      return {
        weekStarting: isoDay(week.from),
        lastDay,
        attempts: overall.attempts,
        activeUsers,
        newUsers,
        reportPath,
        recipients,
        messageId,
      };
    },
  };
}
