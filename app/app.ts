/**
 * The web app: the guide's Django views, on Fastify. Every handler starts a workflow and answers
 * at once; nothing waits for a task. `buildApp` is what tests and app/main.ts both run.
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TaskClient } from '../client';
import type { Config } from '../common/config';
import type { AppDb } from '../db/schema';
import { errorHandler, notFoundHandler } from './errors';
import { appLogOptions } from './log-options';
import { contactRoutes } from './routes/contact';
import { imageRoutes } from './routes/images';
import { taskRoutes } from './routes/tasks';
import { userRoutes } from './routes/users';

export interface AppDependencies {
  config: Config;
  client: TaskClient;
  db: AppDb;
}

export interface AppOptions extends AppDependencies {
  /** Fastify's logger; defaults to the project's JSON lines on stderr at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp({ logger, ...deps }: AppOptions): Promise<FastifyInstance> {
  const { app: limits } = deps.config;
  const app = Fastify({
    logger: logger ?? appLogOptions(deps.config.logLevel),
    bodyLimit: limits.bodyLimitBytes,
    // Random request ids: they appear in error answers, and must not reveal traffic volume.
    genReqId: () => randomUUID(),
    // Unknown fields are refused by name rather than silently dropped: they are usually typos.
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setErrorHandler(errorHandler(limits.bodyLimitBytes));
  app.setNotFoundHandler(notFoundHandler);
  await app.register(multipart, { limits: { fileSize: limits.uploadLimitBytes, files: 1 } });

  // Liveness for the container health check: the process answers HTTP.
  app.get('/health', async () => ({ status: 'ok' }));
  userRoutes(app, deps);
  contactRoutes(app, deps);
  imageRoutes(app, deps);
  taskRoutes(app, deps);
  return app;
}
