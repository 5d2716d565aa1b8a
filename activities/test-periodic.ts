/** The guide's `test_periodic`: proof that the schedule fires, nothing more. */
import { log } from '@temporalio/activity';

/** Logs a line with the time it ran and returns that time (ISO 8601). */
export async function testPeriodic(): Promise<string> {
  const ranAt = new Date().toISOString();
  log.info('test periodic task ran', { ranAt });
  return ranAt;
}
