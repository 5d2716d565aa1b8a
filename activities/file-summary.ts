/**
 * Streams a file once (never whole in memory) into a summary: size, lines, SHA-256 and, for .csv
 * files, per-column aggregates. It reports checkpoints as it goes and can continue from one.
 *
 * Resuming and SHA-256: node's Hash state cannot be saved, so a resumed run re-hashes the bytes
 * before the checkpoint (a sequential read, far cheaper than parsing them again) and parses only
 * what follows. The digest is the ordinary SHA-256 of the whole file either way. A checkpoint
 * only applies to the very same file: size, modification time and inode must match, otherwise the
 * work starts over rather than mixing aggregates of two versions of a file.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FileScanner, type ScanCheckpoint, type ScanSummary } from './file-scanner';

const CHUNK_BYTES = 1024 * 1024;

interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface FileCheckpoint {
  file: FileIdentity;
  scan: ScanCheckpoint;
}

export interface FileSummary extends ScanSummary {
  file: string;
  bytes: number;
  sha256: string;
  /** Where this run started reading: 0, or the offset of the checkpoint it resumed from. */
  resumedFromOffset: number;
}

export interface SummarizeOptions {
  /** Stops reading at once; the file is closed and the signal's reason thrown. */
  signal: AbortSignal;
  resumeFrom?: unknown;
  onCheckpoint?: (checkpoint: FileCheckpoint) => void;
  checkpointEveryMs?: number;
}

function usableCheckpoint(value: unknown, file: FileIdentity): FileCheckpoint | undefined {
  const candidate = value as Partial<FileCheckpoint> | undefined;
  if (typeof candidate?.scan?.offset !== 'number' || !candidate.file) return undefined;
  const same = (['size', 'mtimeMs', 'ino'] as const).every((key) => candidate.file![key] === file[key]);
  return same ? (candidate as FileCheckpoint) : undefined;
}

async function hashRange(file: string, hash: Hash, end: number, signal: AbortSignal): Promise<void> {
  if (end === 0) return;
  for await (const chunk of createReadStream(file, { end: end - 1, highWaterMark: CHUNK_BYTES, signal })) hash.update(chunk);
}

export async function summarizeFile(file: string, options: SummarizeOptions): Promise<FileSummary> {
  const { signal, onCheckpoint, checkpointEveryMs = 1000 } = options;
  const info = await stat(file);
  const identity: FileIdentity = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
  const resume = usableCheckpoint(options.resumeFrom, identity)?.scan;
  const scanner = new FileScanner(path.extname(file).toLowerCase() === '.csv', resume);
  const hash = createHash('sha256');
  const start = resume?.offset ?? 0;
  let bytes = start;
  try {
    await hashRange(file, hash, start, signal);
    let lastCheckpoint = 0;
    for await (const chunk of createReadStream(file, { start, highWaterMark: CHUNK_BYTES, signal }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      scanner.push(chunk);
      bytes += chunk.length;
      if (onCheckpoint && Date.now() - lastCheckpoint >= checkpointEveryMs) {
        lastCheckpoint = Date.now();
        onCheckpoint({ file: identity, scan: scanner.checkpoint() });
      }
    }
  } catch (error) {
    // The stream reports an abort as its own AbortError; the signal's reason says which limit it was.
    throw signal.aborted ? signal.reason : error;
  }
  return { file, bytes, sha256: hash.digest('hex'), ...scanner.finish(), resumedFromOffset: start };
}
