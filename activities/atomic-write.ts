/**
 * Files that tasks produce appear whole or not at all: bytes go to a temporary sibling, are
 * flushed to disk, and the sibling is renamed over the target (atomic on one filesystem). A crash
 * leaves at most a temporary file, and the retry of the same execution reuses its name.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** A hidden sibling of `target`; `key` is the task's executionKey(), so a retry overwrites its own leftover. */
export function temporaryPathFor(target: string, key: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${key}.part`);
}

/** Runs `write` against a temporary file and, only if it succeeds, puts the result at `target`. */
export async function writeAtomically(target: string, key: string, write: (file: FileHandle) => Promise<void>): Promise<void> {
  const temporary = temporaryPathFor(target, key);
  const file = await open(temporary, 'w');
  try {
    await write(file);
    // Without the flush a power cut after the rename could leave an empty file under the final name.
    await file.sync();
    await file.close();
    await rename(temporary, target);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
