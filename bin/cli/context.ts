/** Configuration and a lazily connected client, shared by whichever subcommand runs. */
import { createTaskClient, type TaskClient } from '../../client';
import type { Config } from '../../common/config';
import type { CommandContext } from './command';
import { CliError, ExitCode, type Output } from './output';

export function createContext(config: Config, out: Output): CommandContext & { close(): Promise<void> } {
  let connecting: Promise<TaskClient> | undefined;
  return {
    config,
    out,
    client() {
      connecting ??= createTaskClient({ config }).catch((error: Error) => {
        throw new CliError(ExitCode.unavailable, `cannot reach Temporal at ${config.temporal.address}: ${error.message}`);
      });
      return connecting;
    },
    async close() {
      const client = await connecting?.catch(() => undefined);
      await client?.close();
    },
  };
}
