import { TaskFailedError } from '../../client';

/** Awaits a task result that must fail, and hands back its TaskFailedError for closer checks. */
export async function failure(promise: Promise<unknown>): Promise<TaskFailedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TaskFailedError);
  return error as TaskFailedError;
}
