/**
 * With PAYLOAD_ENCRYPTION_KEY set, the server's history holds no readable personal data, the
 * app still reads results, and the Web UI's codec endpoint decodes for whoever holds the key.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { dataConverterFor } from '../codec';
import { AesGcmCodec } from '../codec/aes-gcm-codec';
import { startCodecServer, type CodecServer } from '../codec/codec-server';
import { TaskFailedError } from '../client';
import { bundleWorkflows } from '../workers/workflow-bundle';
import { startWorld, testConfig, type World } from './helpers/world';
import { TestSmtpServer } from './helpers/smtp';

const key = randomBytes(32);
const address = 'secret.person@example.com';

/** The history exactly as the server stores it, as bytes. */
async function rawHistory(world: World, workflowId: string): Promise<Buffer> {
  const connection = await Connection.connect({ address: world.config.temporal.address });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  } finally {
    await connection.close();
  }
}

let smtp: TestSmtpServer;
let encrypted: World;
let plain: World;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  const env = { SMTP_URL: smtp.url, PAYLOAD_ENCRYPTION_KEY: key.toString('base64') };
  encrypted = await startWorld({ env, workflowBundle: await bundleWorkflows(dataConverterFor(testConfig(env))) });
  plain = await startWorld({ env: { SMTP_URL: smtp.url } });
}, 120_000);
afterAll(async () => {
  await encrypted?.close();
  await plain?.close();
  await smtp?.stop();
});

test('arguments and results are unreadable on the server, readable for the app', async () => {
  const handle = await encrypted.client.tasks.sendWelcomeEmail.delay(address);
  const { messageId } = await handle.result();
  expect(smtp.received.find((m) => m.messageId === messageId)?.to).toEqual([address]);
  const history = await rawHistory(encrypted, handle.id);
  expect(history.includes(address)).toBe(false);
  expect(history.includes(messageId)).toBe(false);
});

test('failure messages are encrypted too, and still reach the app intact', async () => {
  const handle = await encrypted.client.tasks.sendWelcomeEmail.delay('secret person@example.com');
  const failure = (await handle.result().catch((e: unknown) => e)) as TaskFailedError;
  expect(failure).toBeInstanceOf(TaskFailedError);
  expect(failure.message).toContain('"secret person@example.com" is not a valid email address');
  expect((await rawHistory(encrypted, handle.id)).includes('secret person@example.com')).toBe(false);
});

test('control: without a key the same history does contain the address', async () => {
  const handle = await plain.client.tasks.sendWelcomeEmail.delay(address);
  await handle.result();
  expect((await rawHistory(plain, handle.id)).includes(address)).toBe(true);
});

describe('the Web UI codec endpoint', () => {
  let server: CodecServer;
  beforeAll(async () => {
    server = await startCodecServer({ codec: new AesGcmCodec(key), host: '127.0.0.1', port: 0, allowedOrigin: 'http://localhost:8233' });
  });
  afterAll(() => server?.close());

  test('decodes what the history holds, answers the Web UI preflight, refuses a wrong key', async () => {
    const handle = await encrypted.client.tasks.sendWelcomeEmail.delay(address);
    await handle.result();
    const connection = await Connection.connect({ address: encrypted.config.temporal.address });
    const history = await new Client({ connection }).workflow.getHandle(handle.id).fetchHistory();
    await connection.close();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const asJson = input.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    }));

    const preflight = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:8233' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');

    const response = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ payloads: asJson }),
    });
    const { payloads } = (await response.json()) as { payloads: { data: string }[] };
    expect(JSON.parse(Buffer.from(payloads[0].data, 'base64').toString())).toEqual({ args: [address] });

    const wrongKey = await startCodecServer({ codec: new AesGcmCodec(randomBytes(32)), host: '127.0.0.1', port: 0, allowedOrigin: '' });
    const refused = await fetch(`${wrongKey.url}/decode`, { method: 'POST', body: JSON.stringify({ payloads: asJson }) });
    await wrongKey.close();
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/encrypted with key \w+, but the configured PAYLOAD_ENCRYPTION_KEY is \w+/);
  });
});
