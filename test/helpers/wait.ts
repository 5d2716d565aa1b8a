/**
 * Asks `probe` every 100 ms until it answers (anything but undefined or false), and returns the
 * answer; after `timeoutMs` fails, naming what it waited for.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const answer = await probe();
    if (answer !== undefined && answer !== false) return answer;
    if (Date.now() > deadline) throw new WaitTimedOut(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class WaitTimedOut extends Error {}
