/**
 * Rows rendered by xlsx-rows.ts against the same rows through ExcelJS's own row model: both files
 * read back with exceljs must hold the same values, types and number formats, cell by cell.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { writeXlsx, type Cell, type Column } from '../activities/xlsx-file';
import { isFormatted } from '../activities/xlsx-rows';

const columns: Column[] = [
  { header: 'Число', width: 10 },
  { header: 'Текст', width: 20 },
  { header: 'Да/нет', width: 8 },
  { header: 'Когда', width: 20, numFmt: 'yyyy-mm-dd hh:mm:ss' },
  { header: 'Доля', width: 10, numFmt: '0.0%' },
];

const rows: Cell[][] = [
  [1, 'plain', true, new Date(Date.UTC(2026, 10, 2, 9, 30)), 0.25],
  [-42.125, 'a < b & c > "d" \'e\'', false, 46000.5, { value: 0.5, numFmt: '0.00' }],
  [0.1 + 0.2, 'Кириллица и эмодзи 🎉', null, null, null],
  [1e21, '', true, { value: new Date(Date.UTC(1999, 11, 31)), numFmt: 'yyyy-mm-dd' }, 5e-324],
  [],
  [null, null, null, null, null],
  [7, 'a control character \u0001 and a tab\there', { value: null, numFmt: '0.0' }, new Date(Date.UTC(1970, 0, 1)), { value: 'text with a format', numFmt: '0.0' }],
  // Wider than the alphabet: columns AA… get their letters right.
  Array.from({ length: 30 }, (_, i) => i * 10),
];

/** A cell's value and number format, the column's when the cell names none. */
function valueAndFormat(cell: Cell, column: number): [ExcelJS.CellValue, string | undefined] {
  return isFormatted(cell) ? [cell.value, cell.numFmt] : [cell, columns[column]?.numFmt];
}

/** The same rows through ExcelJS's own Row and Cell objects, as its documentation writes them. */
async function writeWithExcelJsRows(file: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('S');
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).commit();
  for (const cells of rows) {
    const row = sheet.addRow(cells.map((cell, i) => valueAndFormat(cell, i)[0]));
    cells.forEach((cell, i) => {
      const numFmt = valueAndFormat(cell, i)[1];
      if (numFmt) row.getCell(i + 1).numFmt = numFmt;
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

interface CellSeen {
  address: string;
  type: ExcelJS.ValueType;
  value: ExcelJS.CellValue;
  numFmt: string | undefined;
}

async function cellsOf(file: string): Promise<CellSeen[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const seen: CellSeen[] = [];
  workbook.worksheets[0].eachRow((row) =>
    row.eachCell((cell) => seen.push({ address: cell.address, type: cell.type, value: cell.value, numFmt: cell.numFmt })),
  );
  return seen;
}

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'xlsx-rows-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

test('every cell reads back as it does from ExcelJS’s own rows: value, type and number format', async () => {
  const ours = path.join(dir, 'ours.xlsx');
  const theirs = path.join(dir, 'exceljs.xlsx');
  await writeXlsx(ours, [{ name: 'S', columns, pages: [rows.slice(0, 3), rows.slice(3)] }], { key: 'test' });
  await writeWithExcelJsRows(theirs);

  const seen = await cellsOf(ours);
  expect(seen).toEqual(await cellsOf(theirs));
  // And what ExcelJS wrote is what was meant, not a shared mistake.
  const at = (address: string) => seen.find((c) => c.address === address);
  expect(at('B3')?.value).toBe('a < b & c > "d" \'e\'');
  expect(at('D2')).toMatchObject({ value: new Date(Date.UTC(2026, 10, 2, 9, 30)), numFmt: 'yyyy-mm-dd hh:mm:ss' });
  expect(at('E3')).toMatchObject({ value: 0.5, numFmt: '0.00' });
  expect(at('B4')?.value).toBe('Кириллица и эмодзи 🎉');
  expect(at('C8')).toBeUndefined();
  expect(at('AD9')?.value).toBe(290);
  expect(seen.filter((c) => c.address.endsWith('6') || c.address.endsWith('7'))).toEqual([]);
});

test('a number a spreadsheet cannot hold: a clear error naming the cell, and no file', async () => {
  const target = path.join(dir, 'bad.xlsx');
  await expect(writeXlsx(target, [{ name: 'S', columns, pages: [[[1, 'ok'], [Number.NaN, 'bad']]] }], { key: 'test' })).rejects.toThrow(
    'cell A3: NaN is not a number a spreadsheet can hold',
  );
  expect(await readdir(dir)).toEqual([]);
});
