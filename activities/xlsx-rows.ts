/**
 * Rows of plain values rendered as sheet XML and written into an ExcelJS streaming worksheet.
 *
 * Why not `sheet.addRow(...).commit()`: for every row ExcelJS builds a Row, a Cell per value, a
 * model per cell and an XML writer that joins ~30 small strings, and all of it is garbage a moment
 * later: writing a 1M-row sheet took 8.7 s that way, on the one core the writing thread has, and
 * takes 3.9 s rendered here. The XML of a row of numbers, booleans, strings and dates is short and
 * fixed, so it is rendered a page at a time, exactly as ExcelJS renders it (same cell types, same
 * escaping, style ids from the workbook's own style table); everything else (columns, header,
 * frozen panes, styles, the zip) stays ExcelJS's.
 */
import type ExcelJS from 'exceljs';
import type { Cell, CellValue, FormattedCell } from './xlsx-file';

// ExcelJS's own escaping (which also drops characters XML cannot hold) and date conversion.
const { xmlEncode, dateToExcel } = require('exceljs/lib/utils/utils') as {
  xmlEncode(text: string): string;
  dateToExcel(date: Date, date1904?: boolean): number;
};
const { ValueType } = require('exceljs/lib/doc/enums') as { ValueType: typeof ExcelJS.ValueType };

/**
 * The parts of ExcelJS's WorksheetWriter this relies on, which its typings leave out; hence the
 * exact ExcelJS version in package.json, and test/xlsx-rows.test.ts to check a new one.
 */
interface WorksheetWriterInternals {
  workbook: { styles: { addStyleModel(style: { numFmt?: string }, valueType: ExcelJS.ValueType): number } };
  stream: { write(text: string): unknown };
  startedData: boolean;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
}

/** Spreadsheet column letters: A…Z, AA…ZZ, … */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export function isFormatted(cell: Cell): cell is FormattedCell {
  return cell !== null && typeof cell === 'object' && !(cell instanceof Date);
}

export interface SheetRows {
  /** Renders the rows below those already written and writes them to the sheet. */
  append(rows: readonly (readonly Cell[])[]): void;
}

/**
 * Rows for `sheet`, whose columns carry `columnFormats` (a column's number format, when a cell
 * gives none). Rows ExcelJS holds (the header) are committed first; later rows must not go
 * through ExcelJS.
 */
export function sheetRows(sheet: ExcelJS.Worksheet, columnFormats: readonly (string | undefined)[]): SheetRows {
  const writer = sheet as unknown as WorksheetWriterInternals;
  const pending = sheet.lastRow;
  let next = (pending?.number ?? 0) + 1;
  pending?.commit();
  if (!writer.startedData) {
    writer._writeColumns();
    writer._writeOpenSheetData();
    writer.startedData = true;
  }
  const letters: string[] = [];
  const letter = (column: number) => (letters[column] ??= columnLetters(column));

  // ` s="3"` (or nothing, for the default style) by number format, then value type, as ExcelJS's
  // style table gives it: a cell without a format still gets a date format when it holds a date.
  // Looked up without building a key, since it is asked for every cell.
  const styleAttributes = new Map<string | undefined, string[]>();
  const styleAttribute = (numFmt: string | undefined, valueType: ExcelJS.ValueType): string => {
    let byType = styleAttributes.get(numFmt);
    if (!byType) styleAttributes.set(numFmt, (byType = []));
    let attribute = byType[valueType];
    if (attribute === undefined) {
      const id = writer.workbook.styles.addStyleModel(numFmt ? { numFmt } : {}, valueType);
      byType[valueType] = attribute = id ? ` s="${id}"` : '';
    }
    return attribute;
  };

  const renderCell = (address: string, value: NonNullable<CellValue>, numFmt: string | undefined): string => {
    switch (typeof value) {
      case 'number':
        if (!Number.isFinite(value)) throw new RangeError(`cell ${address}: ${value} is not a number a spreadsheet can hold`);
        return `<c r="${address}"${styleAttribute(numFmt, ValueType.Number)}><v>${value}</v></c>`;
      case 'boolean':
        return `<c r="${address}"${styleAttribute(numFmt, ValueType.Boolean)} t="b"><v>${value ? 1 : 0}</v></c>`;
      case 'string':
        return `<c r="${address}"${styleAttribute(numFmt, ValueType.String)} t="str"><v>${xmlEncode(value)}</v></c>`;
      default: {
        const serial = dateToExcel(value);
        if (!Number.isFinite(serial)) throw new RangeError(`cell ${address}: an invalid date`);
        return `<c r="${address}"${styleAttribute(numFmt, ValueType.Date)}><v>${serial}</v></c>`;
      }
    }
  };

  const renderRow = (number: number, cells: readonly Cell[]): string => {
    let xml = '';
    for (let column = 0; column < cells.length; column += 1) {
      const cell = cells[column];
      const formatted = isFormatted(cell);
      const value = formatted ? cell.value : cell;
      if (value === null || value === undefined) continue;
      xml += renderCell(letter(column) + number, value, formatted ? cell.numFmt : columnFormats[column]);
    }
    // A row without values is left out, as ExcelJS leaves it out.
    return xml && `<row r="${number}">${xml}</row>`;
  };

  return {
    append(rows) {
      const xml = rows.map((cells, i) => renderRow(next + i, cells));
      next += rows.length;
      writer.stream.write(xml.join(''));
    },
  };
}
