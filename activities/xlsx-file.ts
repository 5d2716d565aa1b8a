/**
 * Writes .xlsx files with ExcelJS's streaming writer: rows are written a page at a time as they
 * arrive (rendered by xlsx-rows.ts) and the zip goes to disk as it grows, so memory stays flat
 * however many rows there are. The file appears under its final name only once complete
 * (writeAtomically), so nobody ever opens half a report.
 */
import { once } from 'node:events';
import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { writeAtomically } from './atomic-write';
import { sheetRows } from './xlsx-rows';

// Only the streaming writer, not all of ExcelJS (reader, CSV, the in-memory model): it loads in
// half the time, which every report thread pays at start.
const WorkbookWriter: typeof ExcelJS.stream.xlsx.WorkbookWriter = require('exceljs/lib/stream/xlsx/workbook-writer');

export type CellValue = string | number | boolean | Date | null;

/** A value shown with an Excel number format, e.g. `{ value: 0.25, numFmt: '0.0%' }`. */
export interface FormattedCell {
  value: CellValue;
  numFmt: string;
}

export type Cell = CellValue | FormattedCell;

export interface Column {
  /** With any header set, row 1 holds the headers and stays visible while scrolling. */
  header?: string;
  width: number;
  /** Excel number format for every value in the column, e.g. 'yyyy-mm-dd hh:mm:ss'. */
  numFmt?: string;
}

export interface SheetSource {
  name: string;
  columns: Column[];
  /** Rows a page at a time; the writer checks for cancellation and reports progress between pages. */
  pages: AsyncIterable<Cell[][]> | Iterable<Cell[][]>;
}

export interface XlsxWriteOptions {
  /** Names the temporary file; the task's executionKey(), so a retry replaces its own leftover. */
  key: string;
  signal?: AbortSignal;
  /** Called after every page with the number of rows written so far. */
  onRows?: (rows: number) => void;
}

export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * ExcelJS's sheet stream ignores backpressure: it writes into the zip archiver's input however
 * far behind the compression is, and the backlog would grow with the row count. Waiting for that
 * input to drain between pages keeps memory flat. (The archiver wraps the sheet stream in a
 * readable-stream PassThrough, hence the state lookup rather than `writableNeedDrain`.)
 */
async function zipCaughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const input = (sheet as unknown as { stream: { pipes?: (Writable & { _writableState?: { needDrain: boolean } })[] } }).stream.pipes?.[0];
  if (input?._writableState?.needDrain) await once(input, 'drain');
}

/**
 * A stream into the open file that leaves syncing and closing it to writeAtomically (the handle's
 * own createWriteStream either closes it or keeps a reference that makes close() wait for ever).
 */
function streamInto(file: FileHandle): Writable {
  return new Writable({
    write: (chunk: Buffer, _encoding, done) => void file.write(chunk).then(() => done(), done),
    writev: (chunks, done) => void file.writev(chunks.map((c) => c.chunk as Buffer)).then(() => done(), done),
  });
}

export async function writeXlsx(target: string, sheets: readonly SheetSource[], options: XlsxWriteOptions): Promise<{ rows: number }> {
  let rows = 0;
  await writeAtomically(target, options.key, async (file) => {
    const output = streamInto(file);
    const workbook = new WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    try {
      // One sheet after the other: the archiver takes zip entries in order, so rows for a second
      // sheet written before the first is finished would wait in memory.
      for (const source of sheets) {
        const hasHeader = source.columns.some((c) => c.header !== undefined);
        const sheet = workbook.addWorksheet(source.name, hasHeader ? { views: [{ state: 'frozen', ySplit: 1 }] } : {});
        sheet.columns = source.columns.map((c) => ({ header: c.header, width: c.width }));
        if (hasHeader) sheet.getRow(1).font = { bold: true };
        const rowsOf = sheetRows(sheet, source.columns.map((c) => c.numFmt));
        for await (const page of source.pages) {
          rowsOf.append(page);
          rows += page.length;
          options.onRows?.(rows);
          options.signal?.throwIfAborted();
          await zipCaughtUp(sheet);
        }
        sheet.commit();
      }
      await workbook.commit();
    } catch (error) {
      // The archiver may still be writing; stop it from writing into a file that is being removed.
      output.destroy();
      throw error;
    }
  });
  return { rows };
}
