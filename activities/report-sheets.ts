/**
 * The sheets the reports are made of, shared by the user's report and the admins' weekly one:
 * a figures block, a per-topic table, the attempts list and a leaderboard.
 */
import type { AttemptFigures, LeaderboardRow, TopicFigures } from '../db/repository';
import { DATE_TIME_FORMAT, type Cell, type SheetSource } from './xlsx-file';
import type { PageText, ThreadSheetSource } from './xlsx-thread';

const PERCENT = '0.0%';
const SECONDS = '0.0';

const seconds = (ms: number): Cell => ({ value: ms / 1000, numFmt: SECONDS });
const percent = (fraction: number): Cell => ({ value: fraction, numFmt: PERCENT });
export const dateTime = (date: Date | undefined): Cell => (date ? { value: date, numFmt: DATE_TIME_FORMAT } : '—');

/** Label/value lines for a set of attempts. */
export function figureLines(figures: AttemptFigures): Cell[][] {
  return [
    ['Попыток', figures.attempts],
    ['Правильных ответов', figures.correctAnswers],
    ['Точность', percent(figures.accuracy)],
    ['Среднее время, с', seconds(figures.averageTimeMs)],
    ['Первая попытка', dateTime(figures.firstAttemptAt)],
    ['Последняя попытка', dateTime(figures.lastAttemptAt)],
  ];
}

export function topicTable(topics: readonly TopicFigures[]): Cell[][] {
  return [
    ['Тема', 'Попыток', 'Правильных', 'Точность', 'Среднее время, с'],
    ...topics.map((t) => [t.topic, t.attempts, t.correctAnswers, percent(t.accuracy), seconds(t.averageTimeMs)]),
  ];
}

export interface SummaryContent {
  lines: Cell[][];
  topics: readonly TopicFigures[];
}

/**
 * "Сводка": label/value lines, then a blank line and the per-topic table. The content may be
 * fetched only when the writer gets to the sheet (a query): its columns are known at once, so the
 * writer can start meanwhile.
 */
export function summarySheet(content: SummaryContent | (() => Promise<SummaryContent>)): SheetSource {
  return {
    name: 'Сводка',
    columns: [{ width: 24 }, { width: 28 }, { width: 12 }, { width: 10 }, { width: 18 }],
    pages: (async function* () {
      const { lines, topics } = typeof content === 'function' ? await content() : content;
      yield [...lines, [], ...topicTable(topics)];
    })(),
  };
}

export const ATTEMPT_HEADERS = ['№', 'Задача', 'Тема', 'Верно', 'Время, с', 'Когда'];

/** "Попытки": one row per attempt, streamed page by page from the database as text (attemptPageTexts). */
export function attemptsSheet(pages: AsyncIterable<PageText>): ThreadSheetSource {
  return {
    name: 'Попытки',
    columns: [
      { header: ATTEMPT_HEADERS[0], width: 10 },
      { header: ATTEMPT_HEADERS[1], width: 8 },
      { header: ATTEMPT_HEADERS[2], width: 14 },
      { header: ATTEMPT_HEADERS[3], width: 8 },
      { header: ATTEMPT_HEADERS[4], width: 10, numFmt: SECONDS },
      { header: ATTEMPT_HEADERS[5], width: 20, numFmt: DATE_TIME_FORMAT },
    ],
    pages,
  };
}

export function leaderboardSheet(rows: readonly LeaderboardRow[]): SheetSource {
  const headers = ['Место', 'Пользователь', 'Email', 'Попыток', 'Правильных', 'Точность', 'Среднее время, с'];
  const widths = [8, 20, 30, 10, 12, 10, 18];
  const formats = [undefined, undefined, undefined, undefined, undefined, PERCENT, SECONDS];
  return {
    name: 'Лидеры',
    columns: headers.map((header, i) => ({ header, width: widths[i], numFmt: formats[i] })),
    pages: [rows.map((r) => [r.rank, r.username, r.email, r.attempts, r.correctAnswers, r.accuracy, r.averageTimeMs / 1000])],
  };
}
