/**
 * Tasks take file paths from outside (the client, the web app, a previous chain step), so every
 * path is pinned to the one folder its task may touch. The check runs on the real path, after
 * `..` and symbolic links are resolved, because a link inside the folder can point anywhere.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PermanentError } from '../common/errors';

export interface AllowedFolder {
  root: string;
  /** Names the folder and its setting in messages, e.g. "the data folder (DATA_DIR)". */
  label: string;
}

/**
 * The real path of an existing regular file inside `folder`. A relative path is taken relative to
 * the folder. Anything else (outside, missing, a directory, a pipe) is a PermanentError.
 */
export async function resolveFileInside(folder: AllowedFolder, userPath: string): Promise<string> {
  const root = await realpath(folder.root).catch(() => {
    throw new PermanentError(`${folder.label} ${folder.root} does not exist; create it or fix the setting`, {
      type: 'FolderMissing',
    });
  });
  const requested = path.resolve(root, userPath);
  const real = await realpath(requested).catch((error: NodeJS.ErrnoException) => {
    throw new PermanentError(`${userPath}: no such file (${error.code}); give the path of an existing file in ${folder.label}`, {
      type: 'FileNotFound',
    });
  });
  const relative = path.relative(root, real);
  if (relative === '' || relative.startsWith(`..${path.sep}`) || relative === '..' || path.isAbsolute(relative)) {
    throw new PermanentError(`${userPath} is outside ${folder.label} ${root}; only files inside it are accepted`, {
      type: 'PathOutsideFolder',
    });
  }
  // A FIFO or device would block a thread-pool read forever; directories have no content to process.
  if (!(await stat(real)).isFile()) {
    throw new PermanentError(`${userPath} is not a regular file`, { type: 'NotAFile' });
  }
  return real;
}
