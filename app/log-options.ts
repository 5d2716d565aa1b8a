/**
 * The web app's request logs in the shape of every other log line of this project (see
 * common/logger.ts): one JSON object per line on stderr, `time` as ISO 8601, `level` as a word
 * (INFO, ERROR), `msg`. With `npm start` the app, the worker and the SDK share one stream, and a
 * log shipper parses it with one rule.
 */
import type { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../common/config';

export function appLogOptions(level: Config['logLevel'], stream: Writable = process.stderr): FastifyServerOptions['logger'] {
  return {
    level: level.toLowerCase(),
    stream,
    // No pid and hostname on every line: the worker's lines have neither.
    base: undefined,
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label.toUpperCase() }) },
  };
}
