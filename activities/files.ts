/**
 * The guide's file tasks: `process_large_file(file_path)` (time_limit=300, soft_time_limit=250)
 * and the chain's middle step `process_file(path)`. Both stream the file into a summary
 * (file-summary.ts), heartbeat a checkpoint, and on a retry continue from the last one.
 */
import path from 'node:path';
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { Config } from '../common/config';
import { summarizeFile, type FileSummary } from './file-summary';
import { resolveFileInside } from './path-guard';
import { taskSignal } from './task-context';

export interface ProcessedFile {
  /** One line for people, e.g. the notification email of the download → process → notify chain. */
  message: string;
  summary: FileSummary;
}

export function fileTasks({ config }: { config: Config }) {
  const dataFolder = { root: config.paths.dataDir, label: 'the data folder (DATA_DIR)' };

  async function summarize(userPath: string): Promise<FileSummary> {
    const file = await resolveFileInside(dataFolder, userPath);
    return summarizeFile(file, {
      signal: taskSignal(),
      // The last heartbeat of a failed attempt (crash, soft limit, worker shutdown) is its checkpoint.
      resumeFrom: activityInfo().heartbeatDetails,
      onCheckpoint: (checkpoint) => heartbeat(checkpoint),
    });
  }

  return {
    /** The guide's `process_large_file(file_path)`: lines, bytes, sha256 and CSV column aggregates. */
    processLargeFile: summarize,

    /** The chain's `process_file(path)`: the same summary plus a sentence for the notification. */
    async processFile(userPath: string): Promise<ProcessedFile> {
      const summary = await summarize(userPath);
      const csv = summary.csv ? `, CSV: ${summary.csv.records} записей, ${summary.csv.columns.length} столбцов` : '';
      const message = `Файл ${path.basename(summary.file)} обработан: ${summary.bytes} байт, ${summary.lines} строк${csv}, sha256 ${summary.sha256}`;
      return { message, summary };
    },
  };
}
