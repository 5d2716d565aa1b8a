/**
 * With encryption on, failure messages and stack traces travel as an encoded (so encrypted)
 * payload too: a message like `"ann@example.com" is not a valid address` is user data.
 * Loaded by path in the workflow sandbox, hence a module of its own.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
