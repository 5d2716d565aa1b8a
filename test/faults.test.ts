/**
 * Nothing lost when things break: the Temporal server restarting under running workflows, the
 * mail server away for a while, the same welcome email asked for twice.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTaskClient } from '../client';
import { freePort, startDevServer, type DevServer } from '../dev/dev-server';
import { TEST_ENV, testOutputDir } from './setup/test-environment';
import { checkpointPastStart } from './helpers/checkpoint';
import { writeCsv } from './helpers/csv';
import { startWorkerProcess } from './helpers/worker-process';
import { startWorld, testConfig, type World } from './helpers/world';
import { TestSmtpServer } from './helpers/smtp';
import { visibleCount } from './helpers/visibility';

const completedRuns = (world: World, workflowId: string) =>
  visibleCount(world.client.temporal, `WorkflowId = "${workflowId}" AND ExecutionStatus = "Completed"`, 1);

test('a worker killed with SIGKILL mid-file: the next worker finishes it from the last heartbeat', async () => {
  const config = testConfig();
  const taskQueue = `sigkill-${randomUUID()}`;
  mkdirSync(config.paths.dataDir, { recursive: true });
  const written = writeCsv(`${config.paths.dataDir}/big.csv`, 600_000);
  // A dead worker is noticed when its heartbeats stop: two seconds here instead of the catalogue's 30.
  const client = await createTaskClient({ config, taskQueue, policies: { processLargeFile: { heartbeatTimeout: '2s', defaultRetryDelay: '100ms' } } });
  const first = startWorkerProcess(config, taskQueue);
  let second: ReturnType<typeof startWorkerProcess> | undefined;
  try {
    await first.ready;
    const handle = await client.tasks.processLargeFile.delay('big.csv');
    const workflow = client.temporal.workflow.getHandle(handle.id);
    const checkpoint = await checkpointPastStart(client.temporal, handle.id, 60_000);
    await first.stop('SIGKILL');
    second = startWorkerProcess(config, taskQueue);

    const summary = await handle.result();
    expect(summary.bytes).toBe(written.bytes);
    expect(summary.sha256).toBe(written.sha256);
    expect(summary.resumedFromOffset).toBeGreaterThanOrEqual(checkpoint.scan.offset);
    const { events } = await workflow.fetchHistory();
    expect(events!.find((e) => e.activityTaskStartedEventAttributes)!.activityTaskStartedEventAttributes!.attempt).toBeGreaterThanOrEqual(2);
  } finally {
    await client.close();
    await first.stop('SIGKILL');
    await second?.stop();
  }
}, 150_000);

describe('the Temporal server stops and starts again under running workflows', () => {
  let server: DevServer;
  let smtp: TestSmtpServer;
  let world: World;
  let port: number;
  const dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'quiz-restart-')), 'temporal.db');
  const startServer = () =>
    startDevServer({
      cliPath: process.env[TEST_ENV.cliPath]!,
      ip: '127.0.0.1',
      port,
      uiPort: 0,
      headless: true,
      namespace: 'default',
      dbFile,
      logFile: path.join(testOutputDir, 'temporal-restart.log'),
    });

  beforeAll(async () => {
    port = await freePort();
    server = await startServer();
    smtp = await new TestSmtpServer().start();
    world = await startWorld({ env: { TEMPORAL_ADDRESS: server.address, SMTP_URL: smtp.url } });
  }, 90_000);
  afterAll(async () => {
    await world?.close();
    await server?.stop();
    await smtp?.stop();
  });

  test('every workflow completes afterwards; none lost, none completed twice', async () => {
    const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => world.client.tasks.addNumbers.applyAsync([i, 100], { countdown: 3 })));
    const mails = await Promise.all(
      Array.from({ length: 10 }, (_, i) => world.client.tasks.sendWelcomeEmail.applyAsync([`restart${i}@example.com`], { countdown: 3 })),
    );
    await server.stop();
    server = await startServer();

    expect(await Promise.all(sums.map((h) => h.result()))).toEqual(Array.from({ length: 20 }, (_, i) => i + 100));
    const messageIds = (await Promise.all(mails.map((h) => h.result()))).map((r) => r.messageId);
    expect(new Set(messageIds).size).toBe(10);
    expect(smtp.received.map((m) => m.messageId).sort()).toEqual([...messageIds].sort());
    for (const handle of [...sums, ...mails]) expect(await completedRuns(world, handle.id)).toBe(1);
  }, 120_000);
});

describe('the mail server is unreachable for a while, then back', () => {
  let world: World;
  let port: number;
  let smtp: TestSmtpServer | undefined;
  beforeAll(async () => {
    port = await freePort();
    world = await startWorld({
      env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
      policies: { sendWelcomeEmail: { defaultRetryDelay: '500ms', maxRetries: 20 } },
    });
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.stop();
  });

  test('every email is delivered exactly once at the receiving end', async () => {
    const handles = await Promise.all(
      Array.from({ length: 5 }, (_, i) => world.client.tasks.sendWelcomeEmail.delay(`patient${i}@example.com`)),
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(await handles[0].status()).toBe('RETRY');
    smtp = await new TestSmtpServer().start(port);

    const messageIds = (await Promise.all(handles.map((h) => h.result()))).map((r) => r.messageId);
    const received = smtp.received.map((m) => m.messageId);
    expect(received.sort()).toEqual([...messageIds].sort());
    expect(new Set(received).size).toBe(5);
  }, 60_000);
});

describe('the same welcome email asked for twice', () => {
  let smtp: TestSmtpServer;
  let world: World;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    world = await startWorld({ env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.stop();
  });

  test('while running and after success: one email', async () => {
    const taskId = `welcome-email/${Date.now()}`;
    const [first, second] = await Promise.all([
      world.client.tasks.sendWelcomeEmail.applyAsync(['twice@example.com'], { taskId }),
      world.client.tasks.sendWelcomeEmail.applyAsync(['twice@example.com'], { taskId }),
    ]);
    await first.result();
    const third = await world.client.tasks.sendWelcomeEmail.applyAsync(['twice@example.com'], { taskId });
    expect([first.id, second.id, third.id]).toEqual([taskId, taskId, taskId]);
    await third.result();
    expect(smtp.received.filter((m) => m.to.includes('twice@example.com'))).toHaveLength(1);
    expect(await completedRuns(world, taskId)).toBe(1);
  });
});
