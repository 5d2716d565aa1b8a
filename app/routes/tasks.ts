/** Celery's `AsyncResult(id)` over HTTP: status, progress, result or error; cancel and terminate. */
import type { FastifyInstance } from 'fastify';
import { TaskFailedError } from '../../client';
import { statusOf } from '../../client/status';
import type { AppDependencies } from '../app';
import { HttpError } from '../errors';

/** How long a running task's worker gets to answer the progress query before we answer without it. */
const PROGRESS_TIMEOUT_MS = 2000;
const FINISHED = ['SUCCESS', 'FAILURE', 'REVOKED'];

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 255 } },
} as const;

export function taskRoutes(app: FastifyInstance, { client }: AppDependencies): void {
  async function describe(id: string) {
    const description = await client.temporal.workflow.getHandle(id).describe();
    return { type: description.type, status: statusOf(description) };
  }

  app.get<{ Params: { id: string } }>('/tasks/:id', { schema: { params: idParams } }, async (request) => {
    const { id } = request.params;
    const handle = client.handle(id);
    const { type, status } = await describe(id);
    if (status === 'SUCCESS') return { id, type, status, result: await handle.result() };
    if (status === 'FAILURE' || status === 'REVOKED') {
      const failure = await handle.result().catch((error: unknown) => error);
      if (!(failure instanceof TaskFailedError)) throw failure;
      return { id, type, status, error: { type: failure.type, message: failure.message } };
    }
    const progress = await handle.progress({ timeout: PROGRESS_TIMEOUT_MS }).catch(() => undefined);
    return { id, type, status, progress };
  });

  app.post<{ Params: { id: string } }>('/tasks/:id/cancel', { schema: { params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const { status } = await describe(id);
    if (FINISHED.includes(status)) throw new HttpError(409, `task ${id} has already finished (${status})`);
    await client.handle(id).cancel();
    return reply.code(202).send({ id, status: 'cancel requested' });
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>(
    '/tasks/:id/terminate',
    {
      schema: {
        params: idParams,
        body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { status } = await describe(id);
      if (FINISHED.includes(status)) throw new HttpError(409, `task ${id} has already finished (${status})`);
      const reason = request.body?.reason ?? 'terminated through the web app';
      await client.handle(id).terminate(reason);
      return { id, status: 'REVOKED', reason };
    },
  );
}
