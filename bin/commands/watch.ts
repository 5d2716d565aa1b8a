/** `quiz watch <id>`: a live progress bar until the execution ends, then its result or failure. */
import { setTimeout as sleep } from 'node:timers/promises';
import { PROGRESS_TIMEOUT_MS, type Command } from '../cli/command';
import { formatValue, progressBar } from '../cli/output';

const POLL_INTERVAL_MS = 500;

export const watch: Command = {
  name: 'watch',
  args: '<id>',
  summary: 'show live progress until the execution ends, then its result or failure',
  help: 'With --json, prints one progress object per line, then the result.',
  async run({ client, out }, [id]) {
    const quiz = await client();
    const handle = quiz.handle(id);
    // An unknown id fails here, before any output; a finished execution shows its outcome at once.
    let finished = ['SUCCESS', 'FAILURE', 'REVOKED'].includes(await handle.status());
    const outcome = handle.result().finally(() => (finished = true));
    const settled = outcome.then(
      () => undefined,
      () => undefined,
    );
    while (!finished) {
      const progress = await handle.progress({ timeout: PROGRESS_TIMEOUT_MS }).catch(() => undefined);
      // The execution may end while the query is on its way; its outcome is printed below.
      if (progress && !finished) out.update(progress, progressBar);
      await Promise.race([settled, sleep(POLL_INTERVAL_MS)]);
    }
    out.endUpdates();
    const value = await outcome;
    out.result({ id, status: 'SUCCESS', result: value }, (r) => `SUCCESS  ${formatValue(r.result)}`);
  },
};
