/**
 * How a person watches executions: a task started through the web app (the contact form) is
 * found in the Temporal Web UI by its workflow type and id, in a real browser, and shown as
 * completed. A screenshot of what the browser saw is kept in test-output/.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app/app';
import { openDatabase, type AppDatabase } from '../db/database';
import { launchChromium, type HeadlessChromium } from './helpers/chromium';
import { startWorld, type World } from './helpers/world';
import { TEST_ENV, testOutputDir } from './setup/test-environment';

let world: World;
let database: AppDatabase;
let app: FastifyInstance;
let chromium: HeadlessChromium;

beforeAll(async () => {
  world = await startWorld();
  database = await openDatabase(world.config);
  app = await buildApp({ config: world.config, client: world.client, db: database.kysely, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Installing chromium with apt takes minutes on a fresh machine; later runs find it at once.
}, 15 * 60_000);
afterAll(async () => {
  await chromium?.close();
  await app?.close();
  await database?.close();
  await world?.close();
});

test('a task started through the web app shows up completed in the Temporal Web UI', async () => {
  const { port } = app.server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Browser Test', email: 'browser@example.com', message: 'Seen in the Web UI?' }),
  });
  expect(response.status).toBe(202);
  const { taskId } = (await response.json()) as { taskId: string };
  await world.client.handle(taskId).result();

  chromium = await launchChromium();
  const page = await chromium.context.newPage();
  const ui = process.env[TEST_ENV.uiUrl];
  // The list view filtered the way a person would: by workflow type and id.
  const query = `WorkflowType="sendEmailAsync" AND WorkflowId="${taskId}"`;
  await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
  const row = page.locator('tr', { hasText: taskId });
  await row.waitFor({ timeout: 30_000 });
  expect(await row.innerText()).toMatch(/Completed[\s\S]*sendEmailAsync|sendEmailAsync[\s\S]*Completed/);

  // Its own page: the execution, its type and its status.
  await row.getByRole('link', { name: taskId }).click();
  await page.waitForURL(`**/workflows/${taskId}/**`);
  await page.getByText('Completed').first().waitFor({ timeout: 30_000 });
  const details = await page.locator('body').innerText();
  expect(details).toContain(taskId);
  expect(details).toContain('sendEmailAsync');
  await page.screenshot({ path: path.join(testOutputDir, 'web-ui-execution.png'), fullPage: true });
}, 15 * 60_000);
