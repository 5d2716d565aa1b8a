/** The catalogue speaks the guide's language and translates it to Temporal exactly once. */
import { catalogue, policyFor, taskNames } from '../tasks/catalogue';
import { toActivityOptions, validatePolicy } from '../tasks/policy';
import * as workflows from '../workflows';

test('max_retries=3, default_retry_delay=60 means 4 attempts, 60 s apart, no backoff', () => {
  const options = toActivityOptions({ maxRetries: 3, defaultRetryDelay: '60s', timeLimit: '300s', softTimeLimit: '250s' });
  expect(options.retry).toEqual({ maximumAttempts: 4, initialInterval: '60s', backoffCoefficient: 1, maximumInterval: '60s' });
  expect(options.startToCloseTimeout).toBe('300s');
});

test('Celery defaults: 3-minute retry delay; unlimited retries; exponential backoff uncapped unless asked', () => {
  expect(toActivityOptions({ maxRetries: 1, timeLimit: '1s' }).retry?.initialInterval).toBe('3 minutes');
  expect(toActivityOptions({ maxRetries: Infinity, timeLimit: '1s' }).retry?.maximumAttempts).toBe(0);
  const backoff = toActivityOptions({ maxRetries: 5, defaultRetryDelay: '1s', retryBackoff: 2, timeLimit: '1s' }).retry;
  expect(backoff).toMatchObject({ backoffCoefficient: 2, maximumInterval: undefined });
});

test('every task of the catalogue can run as its own workflow, named after it', () => {
  for (const name of taskNames) expect(typeof (workflows as Record<string, unknown>)[name]).toBe('function');
});

test('impossible policies are refused with the reason', () => {
  expect(() => validatePolicy('x', { maxRetries: -1, timeLimit: '1s' })).toThrow('task policy "x": maxRetries must be 0 or more');
  expect(() => validatePolicy('x', { maxRetries: 0, timeLimit: '10s', softTimeLimit: '20s' })).toThrow(
    'softTimeLimit must be shorter than timeLimit',
  );
  expect(() => policyFor('sendWelcomeEmail', { sendWelcomeEmail: { timeLimit: 0 } })).toThrow('timeLimit must be positive');
});

test('overrides change only what they name', () => {
  const policy = policyFor('sendWelcomeEmail', { sendWelcomeEmail: { defaultRetryDelay: '1s' } });
  expect(policy).toEqual({ ...catalogue.sendWelcomeEmail, defaultRetryDelay: '1s' });
});
