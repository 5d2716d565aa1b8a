/** Generated CSV files of any size, written in blocks, with their size and sha256 for checking. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

const CITIES = ['Москва', 'Казань', 'Omsk', 'Tver', 'Sochi'];

export function writeCsv(file: string, rows: number): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  let bytes = 0;
  const put = (text: string) => {
    const chunk = Buffer.from(text);
    hash.update(chunk);
    writeSync(fd, chunk);
    bytes += chunk.length;
  };
  put('id,city,score,comment\n');
  for (let from = 1; from <= rows; from += 10_000) {
    let block = '';
    for (let i = from; i < from + 10_000 && i <= rows; i++) {
      block += `${i},${CITIES[i % 5]},${(i % 1000) / 10},"note ${i % 7}, ""quoted"""\n`;
    }
    put(block);
  }
  closeSync(fd);
  return { bytes, sha256: hash.digest('hex') };
}
