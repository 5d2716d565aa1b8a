/**
 * Counts lines and, for CSV, parses records (RFC 4180: quoted fields, doubled quotes, line breaks
 * inside quotes, LF or CRLF) and folds them into per-column aggregates, one chunk of bytes at a
 * time. It works on bytes, not text: the CSV delimiters are ASCII and never occur inside a UTF-8
 * sequence, so byte offsets stay exact and a record can be split across chunks anywhere.
 *
 * `checkpoint()` is plain JSON describing everything up to the end of the last complete record;
 * a scanner built from it continues from that byte offset with the same result as one pass.
 */
import { PermanentError } from '../common/errors';

/** How many distinct values per column are tracked: enough for "top values", bounded for heartbeats. */
const DISTINCT_CAP = 50;
/** Long values are tracked by their prefix; keeps a checkpoint small whatever the data. */
const VALUE_PREFIX = 80;
const TOP_VALUES = 5;

const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const QUOTE = 0x22;

interface ColumnState {
  name: string;
  /** Non-empty values. */
  count: number;
  empty: number;
  numeric: number;
  min: number | null;
  max: number | null;
  sum: number;
  /** Value → occurrences, for the first DISTINCT_CAP distinct values met. */
  values: [string, number][];
  valuesCapped: boolean;
}

export interface ScanCheckpoint {
  /** Bytes fully accounted for: the end of the last complete record (CSV) or of the last chunk. */
  offset: number;
  /** Line breaks in the bytes before `offset`. */
  newlines: number;
  lastByteWasNewline: boolean;
  csv?: { records: number; columns: ColumnState[] | null };
}

export type ColumnSummary =
  | { name: string; type: 'number'; count: number; empty: number; min: number; max: number; sum: number; mean: number }
  | {
      name: string;
      type: 'text' | 'empty';
      count: number;
      empty: number;
      /** Distinct non-empty values; a lower bound when distinctCapped. */
      distinct: number;
      distinctCapped: boolean;
      top: { value: string; count: number }[];
    };

export interface ScanSummary {
  lines: number;
  csv?: { records: number; columns: ColumnSummary[] };
}

/** Decimal numbers only: Number() alone would also take "0x1F", "Infinity" and "  ". */
function asNumber(value: string): number | undefined {
  const first = value.charCodeAt(0);
  const startsNumeric = (first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46;
  if (!startsNumeric) return undefined;
  const x = Number(value);
  if (!Number.isFinite(x)) return undefined;
  const second = value.charCodeAt(1) | 0x20;
  return second === 0x78 || second === 0x62 || second === 0x6f ? undefined : x; // 0x, 0b, 0o
}

class Column {
  private readonly values: Map<string, number>;
  constructor(private readonly state: ColumnState) {
    this.values = new Map(state.values);
  }

  static named(name: string): Column {
    return new Column({ name, count: 0, empty: 0, numeric: 0, min: null, max: null, sum: 0, values: [], valuesCapped: false });
  }

  add(value: string): void {
    const s = this.state;
    if (value === '') {
      s.empty++;
      return;
    }
    s.count++;
    const x = asNumber(value);
    if (x !== undefined) {
      s.numeric++;
      s.sum += x;
      if (s.min === null || x < s.min) s.min = x;
      if (s.max === null || x > s.max) s.max = x;
    }
    const key = value.length > VALUE_PREFIX ? value.slice(0, VALUE_PREFIX) : value;
    const seen = this.values.get(key);
    if (seen !== undefined) this.values.set(key, seen + 1);
    else if (this.values.size < DISTINCT_CAP) this.values.set(key, 1);
    else s.valuesCapped = true;
  }

  snapshot(): ColumnState {
    return { ...this.state, values: [...this.values] };
  }

  summary(): ColumnSummary {
    const { name, count, empty, numeric, min, max, sum, valuesCapped } = this.state;
    if (count > 0 && numeric === count) {
      return { name, type: 'number', count, empty, min: min!, max: max!, sum, mean: sum / count };
    }
    const top = [...this.values]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_VALUES)
      .map(([value, n]) => ({ value, count: n }));
    return { name, type: count === 0 ? 'empty' : 'text', count, empty, distinct: this.values.size, distinctCapped: valuesCapped, top };
  }
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first of a doubled quote or the closing one. */
  QuoteInQuoted,
  /** After a closing quote: only a comma or the end of the line may follow. */
  Closed,
}

function malformed(line: number, problem: string): PermanentError {
  return new PermanentError(`malformed CSV at line ${line}: ${problem}`, { type: 'MalformedCsv', details: { line } });
}

export class FileScanner {
  private offset: number;
  private newlines: number;
  private lastByteWasNewline: boolean;
  // CSV only
  private readonly csv: boolean;
  private records: number;
  private columns: Column[] | null;
  private state = State.FieldStart;
  private fields: string[] = [];
  /** Bytes of the current field that arrived in earlier chunks. */
  private carry: Buffer[] = [];
  private recordStartLine: number;
  /** Bytes and line breaks consumed past `offset`: the record in progress. */
  private pending = 0;
  private pendingNewlines = 0;

  constructor(csv: boolean, from?: ScanCheckpoint) {
    this.csv = csv;
    this.offset = from?.offset ?? 0;
    this.newlines = from?.newlines ?? 0;
    this.lastByteWasNewline = from?.lastByteWasNewline ?? false;
    this.records = from?.csv?.records ?? 0;
    this.columns = from?.csv?.columns?.map((c) => new Column(c)) ?? null;
    this.recordStartLine = this.newlines + 1;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.csv) return this.scanCsv(chunk);
    let at = chunk.indexOf(LF);
    while (at !== -1) {
      this.newlines++;
      at = chunk.indexOf(LF, at + 1);
    }
    this.offset += chunk.length;
    this.lastByteWasNewline = chunk[chunk.length - 1] === LF;
  }

  // The hot loop: field contents are skipped with tight loops and indexOf, not state by state.
  private scanCsv(chunk: Buffer): void {
    const n = chunk.length;
    let fieldFrom = 0;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case State.FieldStart: {
          const b = chunk[i];
          if (b === QUOTE) {
            this.state = State.Quoted;
            fieldFrom = i + 1;
          } else if (b === COMMA) {
            this.fields.push('');
          } else if (b === LF) {
            this.pendingNewlines++;
            this.endRecord(i, '');
          } else {
            this.state = State.Unquoted;
            fieldFrom = i;
          }
          i++;
          break;
        }
        case State.Unquoted: {
          let b = 0;
          while (i < n && (b = chunk[i]) !== COMMA && b !== LF && b !== QUOTE) i++;
          if (i === n) break;
          if (b === QUOTE) {
            throw malformed(this.currentLine(), 'a quote inside an unquoted field; quote the whole field and double the quotes inside it');
          }
          const value = this.take(chunk, fieldFrom, i);
          if (b === COMMA) {
            this.fields.push(value);
            this.state = State.FieldStart;
          } else {
            this.pendingNewlines++;
            this.endRecord(i, value);
          }
          i++;
          break;
        }
        case State.Quoted: {
          const quote = chunk.indexOf(QUOTE, i);
          const end = quote === -1 ? n : quote;
          for (let lf = chunk.indexOf(LF, i); lf !== -1 && lf < end; lf = chunk.indexOf(LF, lf + 1)) this.pendingNewlines++;
          if (quote !== -1) this.state = State.QuoteInQuoted;
          i = end + 1;
          break;
        }
        case State.QuoteInQuoted:
          if (chunk[i] === QUOTE) {
            this.state = State.Quoted;
            i++;
          } else {
            // The previous byte was the closing quote: the content ends just before it. This byte
            // is looked at again as the first one after the field.
            this.fields.push(this.take(chunk, fieldFrom, i).slice(0, -1).replaceAll('""', '"'));
            this.state = State.Closed;
          }
          break;
        case State.Closed: {
          const b = chunk[i];
          if (b === COMMA) {
            this.state = State.FieldStart;
          } else if (b === LF) {
            this.pendingNewlines++;
            this.endRecord(i);
          } else if (b !== CR) {
            throw malformed(this.currentLine(), 'text after the closing quote of a field');
          }
          i++;
          break;
        }
      }
    }
    this.pending += n;
    if (this.state === State.Unquoted || this.state === State.Quoted || this.state === State.QuoteInQuoted) {
      this.carry.push(chunk.subarray(fieldFrom));
    }
  }

  private currentLine(): number {
    return this.newlines + this.pendingNewlines + 1;
  }

  private take(chunk: Buffer, from: number, to: number): string {
    if (this.carry.length === 0) return chunk.toString('utf8', from, to);
    const joined = Buffer.concat([...this.carry, chunk.subarray(from, to)]).toString('utf8');
    this.carry = [];
    return joined;
  }

  /** The record ends at the LF at `lfIndex` of the current chunk; `lastField` is absent when already taken. */
  private endRecord(lfIndex: number, lastField?: string): void {
    if (lastField !== undefined) this.fields.push(lastField.endsWith('\r') ? lastField.slice(0, -1) : lastField);
    const fields = this.fields;
    const line = this.recordStartLine;
    this.fields = [];
    this.state = State.FieldStart;
    this.offset += this.pending + lfIndex + 1;
    this.pending = -(lfIndex + 1);
    this.newlines += this.pendingNewlines;
    this.pendingNewlines = 0;
    this.lastByteWasNewline = true;
    this.recordStartLine = this.newlines + 1;
    if (fields.length === 1 && fields[0] === '') return; // a blank line
    this.addRecord(fields, line);
  }

  private addRecord(fields: string[], line: number): void {
    if (this.columns === null) {
      this.columns = fields.map((name) => Column.named(name));
      return;
    }
    if (fields.length !== this.columns.length) {
      throw malformed(line, `${fields.length} fields where the header has ${this.columns.length}`);
    }
    this.records++;
    for (let c = 0; c < fields.length; c++) this.columns[c].add(fields[c]);
  }

  checkpoint(): ScanCheckpoint {
    const { offset, newlines, lastByteWasNewline } = this;
    if (!this.csv) return { offset, newlines, lastByteWasNewline };
    return {
      offset,
      newlines,
      lastByteWasNewline,
      csv: { records: this.records, columns: this.columns?.map((c) => c.snapshot()) ?? null },
    };
  }

  /** Call after the last chunk: a final record without a line break still counts. */
  finish(): ScanSummary {
    if (!this.csv) return { lines: this.newlines + (this.offset > 0 && !this.lastByteWasNewline ? 1 : 0) };
    if (this.state === State.Quoted) throw malformed(this.recordStartLine, 'a quoted field opened in this record is never closed');
    const endsMidLine = this.pending > 0;
    if (endsMidLine) this.endRecord(-1, this.state === State.Closed ? undefined : this.trailingField());
    return {
      lines: this.newlines + (endsMidLine ? 1 : 0),
      csv: { records: this.records, columns: this.columns?.map((c) => c.summary()) ?? [] },
    };
  }

  private trailingField(): string {
    const raw = this.carry.length ? Buffer.concat(this.carry).toString('utf8') : '';
    this.carry = [];
    return this.state === State.QuoteInQuoted ? raw.slice(0, -1).replaceAll('""', '"') : raw;
  }
}
