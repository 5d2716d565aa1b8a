/**
 * Compile-time checks, compiled by `npm test` (tsc) and never run: types flow from each
 * activity's signature to the caller. Every @ts-expect-error line must stay an error; if the
 * types loosened, tsc would fail on the unused directive.
 */
import type { TaskClient, TaskHandle } from '../../client';

export async function typeChecks(quiz: TaskClient): Promise<void> {
  const sum: TaskHandle<number> = await quiz.tasks.addNumbers.delay(4, 5);
  const total: number = await sum.result();
  void total;

  // @ts-expect-error wrong argument type
  await quiz.tasks.addNumbers.delay(4, '5');
  // @ts-expect-error missing argument
  await quiz.tasks.addNumbers.delay(4);
  // @ts-expect-error one argument too many
  await quiz.tasks.addNumbers.delay(4, 5, 6);
  // @ts-expect-error the result is a number, not a string
  const wrong: string = await (await quiz.tasks.addNumbers.delay(1, 2)).result();
  void wrong;

  // @ts-expect-error no such task
  await quiz.tasks.noSuchTask.delay();

  await quiz.tasks.sendEmailAsync.applyAsync(['subject', 'message', ['admin@quiz-code.com']], { countdown: 10 });
  // @ts-expect-error recipientList is a list of addresses
  await quiz.tasks.sendEmailAsync.applyAsync(['subject', 'message', 'admin@quiz-code.com']);
  // @ts-expect-error countdown is in seconds, a number
  await quiz.tasks.addNumbers.applyAsync([1, 2], { countdown: '10s' });

  const mail = await (await quiz.tasks.sendWelcomeEmail.delay('a@b.co')).result();
  const id: string = mail.messageId;
  void id;
}
