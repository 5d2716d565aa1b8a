/**
 * The web app as a running server with everything it needs: the app database and a Temporal
 * client. Used by `npm run app` and by `npm start`, which runs it beside the worker.
 */
import type { AddressInfo } from 'node:net';
import { createTaskClient } from '../client';
import type { Config } from '../common/config';
import { openDatabase } from '../db/database';
import { buildApp } from './app';

export interface WebApp {
  url: string;
  /** Stops taking requests, lets those in flight finish, then releases the client and database. */
  close(): Promise<void>;
}

export async function startWebApp(config: Config): Promise<WebApp> {
  const database = await openDatabase(config);
  const client = await createTaskClient({ config }).catch(async (error) => {
    await database.close();
    throw error;
  });
  const app = await buildApp({ config, client, db: database.kysely });
  try {
    await app.listen({ host: config.app.host, port: config.app.port });
  } catch (error) {
    await Promise.all([client.close(), database.close()]);
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const host = config.app.host === '0.0.0.0' ? 'localhost' : config.app.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await app.close();
      await Promise.all([client.close(), database.close()]);
    },
  };
}
