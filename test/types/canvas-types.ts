/**
 * Compile-time checks of the canvas, compiled by `npm test` (tsc) and never run: results flow
 * from step to step. Every @ts-expect-error line must stay an error; if the types loosened, tsc
 * would fail on the unused directive.
 */
import { chain, chord, group, type TaskClient, type TaskHandle } from '../../client';
import type { ProcessedFile } from '../../activities/files';

export async function canvasTypeChecks(quiz: TaskClient): Promise<void> {
  const { addNumbers, downloadFile, processFile, sendNotification, sendWelcomeEmail, processItem } = quiz.tasks;

  // The guide's chain: each step takes the previous result first; the handle has the last one's.
  const notified: TaskHandle<{ messageId: string; to: string[] }> = await chain(
    downloadFile.s('https://example.com/file.pdf'),
    processFile.s(),
    sendNotification.s('admin@quiz-code.com'),
  ).applyAsync({ countdown: 10, taskId: 'pdf-1' });
  void notified;

  const sum: number = await (await chain(addNumbers.s(1, 2), addNumbers.s(3), addNumbers.s(4)).delay()).result();
  void sum;
  // @ts-expect-error step 2 needs a number first; sendWelcomeEmail returns { messageId }
  chain(sendWelcomeEmail.s('a@b.co'), addNumbers.s(1));
  // @ts-expect-error processFile takes the downloaded path (a string), not a number
  chain(addNumbers.s(1, 2), processFile.s());
  // @ts-expect-error the chain's result is the last step's (ProcessedFile), not a string
  const wrongLast: TaskHandle<string> = await chain(downloadFile.s('https://x.co/a'), processFile.s()).delay();
  void wrongLast;

  // si(): immutable, so it follows anything.
  await chain(sendWelcomeEmail.s('a@b.co'), addNumbers.si(1, 2)).delay();
  // @ts-expect-error si() needs every argument
  addNumbers.si(1);

  // A signature given only the tail cannot run first.
  // @ts-expect-error addNumbers.s(1) waits for x from a previous step
  await addNumbers.s(1).delay();
  // @ts-expect-error nor can a chain that starts with one
  await chain(addNumbers.s(1), addNumbers.s(2)).delay();
  // @ts-expect-error wrong type of argument
  addNumbers.s('1');
  // @ts-expect-error too many arguments
  addNumbers.s(1, 2, 3);

  // A group's result is the tuple of its members' results.
  const both: TaskHandle<[number, ProcessedFile]> = await group(addNumbers.s(1, 2), processFile.s('data/a.csv')).delay();
  void both;
  // @ts-expect-error the second member returns a ProcessedFile
  const wrongGroup: TaskHandle<[number, number]> = await group(addNumbers.s(1, 2), processFile.s('data/a.csv')).delay();
  void wrongGroup;
  // Inside a chain every member receives the previous result, so each must accept it.
  const fanOut: TaskHandle<[number, number]> = await chain(addNumbers.s(1, 2), group(addNumbers.s(10), addNumbers.s(20))).delay();
  void fanOut;
  // @ts-expect-error processItem takes a string item, not the number addNumbers returns
  chain(addNumbers.s(1, 2), group(addNumbers.s(10), processItem.s()));

  // A chord's callback receives the group's tuple as its first argument.
  const told: TaskHandle<{ messageId: string; to: string[] }> = await chord(
    group(addNumbers.s(1, 2), addNumbers.s(3, 4)),
    sendNotification.s('admin@quiz-code.com'),
  ).delay();
  void told;
  // @ts-expect-error addNumbers cannot take [number, number] as x
  chord(group(addNumbers.s(1, 2), addNumbers.s(3, 4)), addNumbers.s(1));
  // @ts-expect-error a chord starts with a group, not a chain
  chord(chain(addNumbers.s(1, 2)), sendNotification.s());

  // Nesting: a chain inside a group inside a chain.
  const nested: TaskHandle<[number, number]> = await chain(
    addNumbers.s(1, 2),
    group(addNumbers.s(10), chain(addNumbers.s(100), addNumbers.s(1000))),
  ).delay();
  void nested;
}
