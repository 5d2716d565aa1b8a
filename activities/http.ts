/** The guide's HTTP tasks: `fetch_data_from_api(url)` and the chain's `download_file(url)`. */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { heartbeat, log } from '@temporalio/activity';
import type { Config } from '../common/config';
import { PermanentError } from '../common/errors';
import { writeAtomically } from './atomic-write';
import { checkHttpUrl, httpGet } from './http-get';
import { executionKey, taskSignal } from './task-context';

/** The same URL always lands in the same file, so a second download replaces the first. */
export function downloadTarget(dataDir: string, url: string): string {
  const parsed = checkHttpUrl(url);
  const last = parsed.pathname.split('/').pop() ?? '';
  const name = last.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 100) || 'download';
  const urlHash = createHash('sha256').update(parsed.href).digest('hex').slice(0, 12);
  return path.join(dataDir, `${urlHash}-${name}`);
}

export function httpTasks({ config }: { config: Config }) {
  return {
    /** The guide's `fetch_data_from_api(url)`: GET, then the JSON body. */
    async fetchDataFromApi(url: string): Promise<unknown> {
      const { status, contentType, chunks } = await httpGet(url, {
        idleTimeoutMs: config.http.requestTimeoutMs,
        maxBytes: config.http.maxResponseBytes,
        maxBytesSetting: 'HTTP_MAX_RESPONSE_BYTES',
        signal: taskSignal(),
        accept: 'application/json',
      });
      const parts: Uint8Array[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      const text = Buffer.concat(parts).toString('utf8');
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new PermanentError(
          `GET ${url} answered ${status} with a body that is not JSON (content-type "${contentType}", ` +
            `starts with ${JSON.stringify(text.slice(0, 60))}): ${(error as Error).message}`,
          { type: 'InvalidJson', details: { url, status } },
        );
      }
    },

    /** The chain's `download_file(url)`: streams the body into the data folder; returns the file's path. */
    async downloadFile(url: string): Promise<string> {
      const target = downloadTarget(config.paths.dataDir, url);
      await mkdir(config.paths.dataDir, { recursive: true });
      const { chunks } = await httpGet(url, {
        idleTimeoutMs: config.http.requestTimeoutMs,
        maxBytes: config.http.maxDownloadBytes,
        maxBytesSetting: 'HTTP_MAX_DOWNLOAD_BYTES',
        signal: taskSignal(),
      });
      let bytes = 0;
      await writeAtomically(target, executionKey(), async (file) => {
        for await (const chunk of chunks) {
          await file.write(chunk);
          bytes += chunk.byteLength;
          heartbeat({ bytes });
        }
      });
      log.info('downloaded', { url, path: target, bytes });
      return target;
    },
  };
}
