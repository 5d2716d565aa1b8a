/**
 * Structured logs: one JSON object per line. The SDK's workflow and activity loggers route
 * through this, and add workflowId, runId, activityType, activityId and attempt to every entry.
 * So does the SDK's native core (its lines carry `sdkComponent: "core"`), which otherwise prints
 * its own coloured text to the console, outside any log pipeline.
 */
import { DefaultLogger, Runtime, type LogEntry, type Logger } from '@temporalio/worker';
import type { Config } from './config';

function writeJsonLine(entry: LogEntry): void {
  const { message, level, meta, timestampNanos } = entry;
  const line = JSON.stringify({
    time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(),
    level,
    msg: message,
    ...meta,
  });
  process.stderr.write(line + '\n');
}

export function jsonLogger(level: Config['logLevel']): Logger {
  return new DefaultLogger(level, writeJsonLine);
}

let installed = false;

/** Must run once per process, before the first connection. */
export function installRuntime(config: Config): Logger {
  const logger = jsonLogger(config.logLevel);
  if (!installed) {
    Runtime.install({
      logger,
      // The SDK's own default filter (core warnings, other native crates' errors), forwarded here
      // instead of printed; the logger's level then filters again, so LOG_LEVEL=ERROR hides warnings.
      telemetryOptions: { logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } } },
    });
    installed = true;
  }
  return logger;
}
