#!/usr/bin/env -S npx tsx
/**
 * `quiz`: the command line of the background-job system (Celery's `inspect`, `revoke` and
 * friends). Run `quiz --help`, or `quiz <command> --help`.
 */
import { runQuiz } from './cli/main';

runQuiz(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
