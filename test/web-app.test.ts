/**
 * The web app against a real worker, dev server, SQLite file and SMTP listener (requests through
 * Fastify's inject): the guide's views start tasks and answer at once; registering twice sends one
 * email; bad requests get a 400 naming the field, oversized ones a 413, and no answer ever
 * carries a stack trace. Requests go over a real port (Fastify's inject needs an ES module that
 * Jest's CommonJS runtime cannot load).
 */
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { buildApp } from '../app/app';
import { appLogOptions } from '../app/log-options';
import { createTaskClient } from '../client';
import { openDatabase, type AppDatabase } from '../db/database';
import { TestSmtpServer } from './helpers/smtp';
import { startWorld, type World } from './helpers/world';

const BODY_LIMIT = 2048;
const UPLOAD_LIMIT = 200_000;

let smtp: TestSmtpServer;
let world: World;
let database: AppDatabase;
let app: FastifyInstance;
const serverLog: string[] = [];

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  world = await startWorld({
    env: {
      SMTP_URL: smtp.url,
      ADMIN_EMAILS: 'admin@quiz-code.com,support@quiz-code.com',
      APP_BODY_LIMIT_BYTES: String(BODY_LIMIT),
      APP_UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT),
    },
  });
  database = await openDatabase(world.config);
  app = await buildApp({ config: world.config, client: world.client, db: database.kysely, logger: captureLog() });
  await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await world?.close();
  await smtp?.stop();
});

function captureLog() {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      serverLog.push(String(chunk));
      done();
    },
  });
  return appLogOptions('ERROR', stream);
}

interface Request {
  method: 'GET' | 'POST';
  url: string;
  /** An object is sent as JSON; a string or Buffer as it is, with the headers given. */
  payload?: object | string | Buffer;
  headers?: Record<string, string>;
}

async function send(target: FastifyInstance, { method, url, payload, headers = {} }: Request) {
  const { port } = target.server.address() as AddressInfo;
  const raw = typeof payload === 'string' || Buffer.isBuffer(payload);
  const response = await fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers: payload === undefined || raw ? headers : { 'content-type': 'application/json', ...headers },
    body: payload === undefined ? undefined : raw ? payload : JSON.stringify(payload),
  });
  const body = await response.text();
  return { statusCode: response.status, body, json: () => JSON.parse(body) };
}

/** What no answer may contain: traces, source paths, internal error names. */
function expectNoInternals(body: string): void {
  expect(body).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|stack/);
}

function multipart(field: string, filename: string, contentType: string, content: Buffer) {
  const boundary = `----quiz${randomUUID()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

test('registering creates the user and sends one welcome email, however often it is repeated', async () => {
  smtp.reset();
  const email = `new.user.${Date.now()}@example.com`;
  const first = await send(app, { method: 'POST', url: '/users', payload: { email, username: 'newuser' } });
  expect(first.statusCode).toBe(201);
  const { user, welcomeEmailTaskId } = first.json();
  expect(user).toEqual({ id: expect.any(Number), email, username: 'newuser' });
  expect(welcomeEmailTaskId).toBe(`welcome-email/${user.id}`);

  // A double click while the email is on its way, and again after it was sent.
  const second = await send(app, { method: 'POST', url: '/users', payload: { email: email.toUpperCase(), username: 'newuser' } });
  expect(second.statusCode).toBe(200);
  expect(second.json()).toEqual(first.json());
  await world.client.handle(welcomeEmailTaskId).result();
  const third = await send(app, { method: 'POST', url: '/users', payload: { email, username: 'newuser' } });
  expect(third.json().welcomeEmailTaskId).toBe(welcomeEmailTaskId);
  await world.client.handle(welcomeEmailTaskId).result();

  expect(smtp.received.map((mail) => [mail.to, mail.subject])).toEqual([[[email], 'Добро пожаловать!']]);
  const rows = await database.kysely.selectFrom('users').selectAll().where('email', '=', email).execute();
  expect(rows).toHaveLength(1);

  const taken = await send(app, { method: 'POST', url: '/users', payload: { email: `other.${email}`, username: 'newuser' } });
  expect(taken.statusCode).toBe(409);
  expect(taken.json().message).toBe('username "newuser" is taken; choose another');
});

test('a bad request gets a 400 whose message names the field, and never a stack trace', async () => {
  const cases: [unknown, string][] = [
    [{ username: 'x' }, 'body.email is required'],
    [{ email: 'not-an-email', username: 'x' }, 'body.email must match format "email"'],
    [{ email: 'a@example.com', username: 'has space' }, 'body.username must match pattern "^[\\w.@+-]+$"'],
    [{ email: 'a@example.com', username: 'x', isAdmin: true }, 'body.isAdmin is not a known field'],
  ];
  for (const [payload, message] of cases) {
    const response = await send(app, { method: 'POST', url: '/users', payload: payload as object });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'Bad Request', message, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expectNoInternals(response.body);
  }
  const notJson = await send(app, { method: 'POST', url: '/contact', payload: '{"email": ', headers: { 'content-type': 'application/json' } });
  expect(notJson.statusCode).toBe(400);
  expectNoInternals(notJson.body);
  const badId = await send(app, { method: 'POST', url: '/users/abc/reports', payload: { reportType: 'summary' } });
  expect(badId.statusCode).toBe(400);
  expect(badId.json().message).toBe('params.userId must be integer');
});

test('a body over the limit gets a 413 saying so; so does an upload over its own limit, leaving no file', async () => {
  const big = await send(app, { method: 'POST', url: '/contact', payload: { email: 'a@example.com', message: 'x'.repeat(BODY_LIMIT) } });
  expect(big.statusCode).toBe(413);
  expect(big.json().message).toBe(`the request body is larger than the limit of ${BODY_LIMIT} bytes`);

  const huge = multipart('image', 'huge.png', 'image/png', Buffer.alloc(UPLOAD_LIMIT + 1000, 1));
  const upload = await send(app, { method: 'POST', url: '/images', ...huge });
  expect(upload.statusCode).toBe(413);
  expect(upload.json().message).toBe(`the file is larger than the upload limit of ${UPLOAD_LIMIT} bytes`);
  expect(await readdir(world.config.paths.mediaDir).catch(() => [])).toEqual([]);
});

test('the contact form emails the admins in the background', async () => {
  smtp.reset();
  const response = await send(app, { method: 'POST', url: '/contact', payload: { name: 'Ann', email: 'ann@example.com', message: 'Hello!' } });
  expect(response.statusCode).toBe(202);
  const { status, taskId } = response.json();
  expect(status).toBe('sent');
  expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
  await world.client.handle(taskId).result();
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]).toMatchObject({ subject: 'Новое сообщение', to: ['admin@quiz-code.com', 'support@quiz-code.com'] });
  expect(smtp.received[0].text).toContain('Hello!\n\n— Ann <ann@example.com>');
});

test('an uploaded image is stored under a fresh name and optimised in the background; other files get a 415', async () => {
  const png = await sharp({ create: { width: 3000, height: 1000, channels: 4, background: { r: 0, g: 128, b: 255, alpha: 0.5 } } }).png().toBuffer();
  const response = await send(app, { method: 'POST', url: '/images', ...multipart('image', 'photo.png', 'image/png', png) });
  expect(response.statusCode).toBe(202);
  const { file, taskId } = response.json();
  expect(file).toMatch(/^[0-9a-f-]{36}\.png$/);
  await world.client.handle(taskId).result();
  const stored = await sharp(`${world.config.paths.mediaDir}/${file}`).metadata();
  expect([stored.width, stored.height, stored.hasAlpha]).toEqual([2000, 667, false]);
  const status = await send(app, { method: 'GET', url: `/tasks/${taskId}` });
  expect(status.json()).toMatchObject({ id: taskId, type: 'optimizeImage', status: 'SUCCESS', result: { width: 2000, height: 667 } });

  const text = await send(app, { method: 'POST', url: '/images', ...multipart('image', 'notes.txt', 'text/plain', Buffer.from('hello')) });
  expect(text.statusCode).toBe(415);
  expect(text.json().message).toMatch(/^image must be one of image\/jpeg, image\/png/);
  expect(await readdir(world.config.paths.mediaDir)).toEqual([file]);
});

test('task status by id: result or failure; unknown ids and endpoints get a plain 404', async () => {
  const done = await world.client.tasks.addNumbers.delay(4, 5);
  await done.result();
  expect((await send(app, { method: 'GET', url: `/tasks/${done.id}` })).json()).toEqual({ id: done.id, type: 'addNumbers', status: 'SUCCESS', result: 9 });

  const failed = await world.client.tasks.sendWelcomeEmail.delay('not-an-address');
  await failed.result().catch(() => undefined);
  const failure = await send(app, { method: 'GET', url: `/tasks/${failed.id}` });
  expect(failure.json()).toEqual({
    id: failed.id,
    type: 'sendWelcomeEmail',
    status: 'FAILURE',
    error: { type: 'InvalidEmailAddress', message: '"not-an-address" is not a valid email address (expected name@domain.tld)' },
  });

  const missing = await send(app, { method: 'GET', url: '/tasks/no-such-task' });
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toEqual({ error: 'Not Found', message: 'no task with id "no-such-task"', requestId: expect.any(String) });
  const noRoute = await send(app, { method: 'GET', url: '/admin' });
  expect(noRoute.statusCode).toBe(404);
  expect(noRoute.json().message).toBe('no such endpoint: GET /admin');
});

test('a running task shows its progress and can be cancelled; a waiting one terminated; a finished one answers 409', async () => {
  const running = await world.client.tasks.processItem.delay('slow item', 30_000);
  // Progress is answered from the start (PENDING, 0 of 0): wait until the task is actually running.
  const isRunning = (status?: string) => status === 'STARTED' || status === 'PROGRESS';
  let body: { status?: string; progress?: unknown } = {};
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && !isRunning(body.status); await new Promise((r) => setTimeout(r, 200))) {
    body = (await send(app, { method: 'GET', url: `/tasks/${running.id}` })).json();
  }
  expect(body).toMatchObject({ type: 'processItem', status: expect.stringMatching(/^(STARTED|PROGRESS)$/), progress: { percent: expect.any(Number), total: expect.any(Number) } });
  const cancel = await send(app, { method: 'POST', url: `/tasks/${running.id}/cancel` });
  expect(cancel.statusCode).toBe(202);
  await running.result().catch(() => undefined);
  expect((await send(app, { method: 'GET', url: `/tasks/${running.id}` })).json()).toMatchObject({ status: 'REVOKED', error: { type: 'CancelledFailure' } });
  const again = await send(app, { method: 'POST', url: `/tasks/${running.id}/cancel` });
  expect(again.statusCode).toBe(409);
  expect(again.json().message).toBe(`task ${running.id} has already finished (REVOKED)`);

  const waiting = await world.client.tasks.addNumbers.applyAsync([1, 2], { countdown: 600 });
  expect((await send(app, { method: 'GET', url: `/tasks/${waiting.id}` })).json()).toMatchObject({ status: 'PENDING' });
  const terminate = await send(app, { method: 'POST', url: `/tasks/${waiting.id}/terminate`, payload: { reason: 'wrong numbers' } });
  expect(terminate.json()).toEqual({ id: waiting.id, status: 'REVOKED', reason: 'wrong numbers' });
  expect(await waiting.status()).toBe('REVOKED');
});

test('requesting a report answers at once with its task id, worker or not; unknown users and report types are refused', async () => {
  const registered = await send(app, { method: 'POST', url: '/users', payload: { email: 'reader@example.com', username: 'reader' } });
  const { id } = registered.json().user;
  // An app whose task queue no worker polls: the view must not wait for the report to be made.
  const unattended = await createTaskClient({ config: world.config, taskQueue: `unattended-${randomUUID()}` });
  const reports = await buildApp({ config: world.config, client: unattended, db: database.kysely, logger: false });
  await reports.listen({ host: '127.0.0.1', port: 0 });
  try {
    const response = await send(reports, { method: 'POST', url: `/users/${id}/reports`, payload: { reportType: 'summary' } });
    expect(response.statusCode).toBe(202);
    const { taskId } = response.json();
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    const status = await send(reports, { method: 'GET', url: `/tasks/${taskId}` });
    expect(status.json()).toMatchObject({ id: taskId, type: 'generateUserReport', status: 'PENDING' });
    await unattended.handle(taskId).terminate('test over');
  } finally {
    await reports.close();
    await unattended.close();
  }

  const badType = await send(app, { method: 'POST', url: `/users/${id}/reports`, payload: { reportType: 'everything' } });
  expect(badType.statusCode).toBe(400);
  expect(badType.json().message).toBe('body.reportType must be equal to one of the allowed values: summary, full');
  const nobody = await send(app, { method: 'POST', url: '/users/999999/reports', payload: { reportType: 'summary' } });
  expect(nobody.statusCode).toBe(404);
  expect(nobody.json().message).toBe('no user with id 999999');
});

test('an internal failure answers a generic 500 with the request id, and logs the error under that id', async () => {
  // A database that went away is the kind of failure a visitor must not see the details of.
  const gone = await openDatabase(world.config);
  const broken = await buildApp({ config: world.config, client: world.client, db: gone.kysely, logger: captureLog() });
  await broken.listen({ host: '127.0.0.1', port: 0 });
  await gone.close();
  try {
    const response = await send(broken, { method: 'POST', url: '/users', payload: { email: 'x@example.com', username: 'x' } });
    expect(response.statusCode).toBe(500);
    const { requestId, ...rest } = response.json();
    expect(rest).toEqual({ error: 'Internal Server Error', message: 'something went wrong on our side; it has been logged under this request id' });
    expectNoInternals(response.body);
    const logged = serverLog.map((line) => JSON.parse(line)).find((entry) => entry.reqId === requestId);
    // The same line shape as the worker's (common/logger.ts): ISO time, level as a word.
    expect(logged).toMatchObject({ level: 'ERROR', msg: 'request failed', err: { message: expect.any(String), stack: expect.any(String) } });
    expect(new Date(logged.time).toISOString()).toBe(logged.time);
  } finally {
    await broken.close();
  }
});
