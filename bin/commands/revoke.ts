/** `quiz cancel <id>` and `quiz terminate <id> --reason …`: Celery's `revoke()` and `revoke(terminate=True)`. */
import type { TaskHandle } from '../../client';
import type { Command } from '../cli/command';
import { CliError, ExitCode } from '../cli/output';

/** The server accepts a cancel of a finished execution silently; say so instead. */
async function mustBeUnfinished(handle: TaskHandle, action: string): Promise<void> {
  const state = await handle.status();
  if (['SUCCESS', 'FAILURE', 'REVOKED'].includes(state)) {
    throw new CliError(ExitCode.failed, `${handle.id} has already finished (${state}); nothing to ${action}`);
  }
}

export const cancel: Command = {
  name: 'cancel',
  args: '<id>',
  summary: 'cancel gracefully: the running task gets a cancellation and may clean up',
  async run({ client, out }, [id]) {
    const handle = (await client()).handle(id);
    await mustBeUnfinished(handle, 'cancel');
    await handle.cancel();
    out.result({ id, cancelRequested: true }, () => `cancellation requested for ${id}`);
  },
};

export const terminate: Command = {
  name: 'terminate',
  args: '<id>',
  summary: 'stop at once, no clean-up; the reason is kept in the execution history',
  help: '  --reason TEXT   why (required): shown in the Web UI with the terminated execution',
  options: { reason: { type: 'string' } },
  async run({ client, out }, [id], options) {
    const reason = options.reason;
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new CliError(ExitCode.usage, 'terminate needs --reason "why": it is recorded in the execution history');
    }
    const handle = (await client()).handle(id);
    await mustBeUnfinished(handle, 'terminate');
    await handle.terminate(reason);
    out.result({ id, terminated: true, reason }, () => `terminated ${id}: ${reason}`);
  },
};
