/**
 * How a person watches executions: a task started through the web app (the contact form) is
 * found in the Temporal Web UI by its workflow type and id, in a real browser, and shown as
 * completed; a running long task answers its `progress` query in the UI's Queries tab.
 * Screenshots of what the browser saw are kept in test-output/.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app/app';
import type { Progress } from '../client';
import { openDatabase, type AppDatabase } from '../db/database';
import type { LongTaskInput } from '../workflows/guide-workflows';
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

  chromium ??= await launchChromium();
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

test("a running long task's progress query is answered in the Web UI's Queries tab", async () => {
  // Items take a second each, so the task is still running long after the browser has looked.
  const input: LongTaskInput = { items: Array.from({ length: 300 }, (_, i) => `item-${i}.csv`) };
  const handle = await world.client.startWorkflow('longTask', input);
  try {
    // Once the first item is done the answer says PROGRESS, not just STARTED.
    while ((await handle.progress()).current === 0) await new Promise((r) => setTimeout(r, 200));

    chromium ??= await launchChromium();
    const page = await chromium.context.newPage();
    const ui = process.env[TEST_ENV.uiUrl];
    // Found among running executions, as a person checking on a task in progress would.
    const query = `WorkflowType="longTask" AND WorkflowId="${handle.id}" AND ExecutionStatus="Running"`;
    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    const row = page.locator('tr', { hasText: handle.id });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('link', { name: handle.id }).click();
    await page.getByRole('tab', { name: 'Queries' }).click();
    await page.waitForURL(`**/workflows/${handle.id}/**/query`);

    // The query type picker is a button wrapping a disabled textbox labelled "Query Type"; its
    // options are the query types the worker reports for this execution.
    await page.getByRole('button').filter({ has: page.getByRole('textbox', { name: 'Query Type' }) }).click();
    await page.getByRole('option').first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('option').allInnerTexts()).toContain('progress');
    await page.getByRole('option', { name: 'progress', exact: true }).click();
    await page.getByRole('button', { name: 'Run Query' }).click();

    // Tests run without PAYLOAD_ENCRYPTION_KEY and the dev server without a codec endpoint, so
    // the UI shows the answer as plain JSON, in a read-only editor.
    const result = page.getByTestId('query-result').getByRole('textbox');
    await result.filter({ hasText: '"total"' }).waitFor({ timeout: 30_000 });
    const shown = JSON.parse(await result.innerText()) as Progress;
    expect(shown).toMatchObject({ state: 'PROGRESS', total: input.items.length, message: expect.stringMatching(/^processed item-\d+\.csv$/) });
    expect(shown.current).toBeGreaterThan(0);
    expect(shown.current).toBeLessThan(input.items.length);
    await page.screenshot({ path: path.join(testOutputDir, 'web-ui-progress-query.png'), fullPage: true });
  } finally {
    // Revoked rather than left to run its five minutes on the shared dev server.
    await handle.cancel();
  }
}, 15 * 60_000);
