/**
 * Email tasks against a real SMTP server in the test process: delivery, retries on 421 with a
 * stable Message-ID, 550 not retried, invalid addresses refused without connecting, .eml outbox.
 */
import { readFile } from 'node:fs/promises';
import { createTaskClient, TaskFailedError } from '../client';
import { startWorld, type World } from './helpers/world';
import { TestSmtpServer } from './helpers/smtp';
import { waitFor } from './helpers/wait';

const fastRetries = { defaultRetryDelay: '200ms' } as const;

describe('over SMTP', () => {
  let smtp: TestSmtpServer;
  let world: World;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    world = await startWorld({
      env: { SMTP_URL: smtp.url },
      policies: { sendWelcomeEmail: fastRetries, sendEmailAsync: fastRetries },
    });
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.stop();
  });
  beforeEach(() => smtp.reset());

  test('sendWelcomeEmail delivers the guide\'s welcome mail', async () => {
    const handle = await world.client.tasks.sendWelcomeEmail.delay('new.user@example.com');
    const { messageId } = await handle.result();
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.subject).toBe('Добро пожаловать!');
    expect(mail.to).toEqual(['new.user@example.com']);
    expect(mail.text.trim()).toBe('Спасибо за регистрацию!');
    expect(mail.messageId).toBe(messageId);
  });

  test('sendEmailAsync sends one message to every recipient and returns true', async () => {
    const handle = await world.client.tasks.sendEmailAsync.delay('Новое сообщение', 'Hello from the contact form', [
      'admin@quiz-code.com',
      'support@quiz-code.com',
    ]);
    await expect(handle.result()).resolves.toBe(true);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['admin@quiz-code.com', 'support@quiz-code.com']);
    expect(smtp.received[0].text.trim()).toBe('Hello from the contact form');
  });

  test('sendNotification tells the admins about a result', async () => {
    const handle = await world.client.tasks.sendNotification.delay({ rows: 3, file: 'export.csv' });
    const { to } = await handle.result();
    expect(to).toEqual(world.config.mail.admins);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].subject).toBe('Задача выполнена');
    expect(JSON.parse(smtp.received[0].text)).toEqual({ rows: 3, file: 'export.csv' });
  });

  test('421 twice, then accepted: delivered on the third attempt, same Message-ID each time', async () => {
    smtp.refuseNext(2, 421, 'Service not available, try again later');
    const handle = await world.client.tasks.sendWelcomeEmail.delay('retry.me@example.com');
    const { messageId } = await handle.result();
    expect(smtp.attempts).toEqual([messageId, messageId, messageId]);
    expect(smtp.received.map((m) => m.messageId)).toEqual([messageId]);
    const history = await world.client.temporal.workflow.getHandle(handle.id).fetchHistory();
    const completed = history.events!.find((e) => e.activityTaskStartedEventAttributes)!;
    expect(completed.activityTaskStartedEventAttributes!.attempt).toBe(3);
  });

  test('status shows RETRY while a retry is waiting', async () => {
    smtp.refuseNext(1, 451, 'Local error, try later');
    const patient = await createTaskClient({ config: world.config, taskQueue: world.worker.taskQueue, policies: { sendWelcomeEmail: { defaultRetryDelay: '3s' } } });
    try {
      const handle = await patient.tasks.sendWelcomeEmail.delay('patient@example.com');
      await waitFor('the first attempt to fail', async () => (await handle.status()) === 'RETRY');
      expect((await handle.progress()).attempt).toBe(2);
      await handle.result();
      expect(await handle.status()).toBe('SUCCESS');
    } finally {
      await patient.close();
    }
  });

  test('550 fails at once, not retried, with the server\'s own words', async () => {
    smtp.refuseAll(550, 'Mailbox unavailable');
    const handle = await world.client.tasks.sendWelcomeEmail.delay('gone@example.com');
      const failure = await handle.result().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TaskFailedError);
      expect((failure as TaskFailedError).message).toMatch(/refused the message \(550\).*Mailbox unavailable/);
      expect((failure as TaskFailedError).type).toBe('SmtpRejected');
      expect((failure as TaskFailedError).nonRetryable).toBe(true);
      expect(smtp.attempts).toHaveLength(1);
  });

  test.each([['not-an-address'], ['two@@example.com'], ['spaces in@example.com'], ['nodot@localhost']])(
    'invalid address %p: clear, not retried, no SMTP connection made',
    async (address) => {
      const before = smtp.connections;
      const handle = await world.client.tasks.sendWelcomeEmail.delay(address);
      const failure = (await handle.result().catch((e: unknown) => e)) as TaskFailedError;
      expect(failure).toBeInstanceOf(TaskFailedError);
      expect(failure.message).toContain(`"${address}" is not a valid email address`);
      expect(failure.type).toBe('InvalidEmailAddress');
      expect(failure.nonRetryable).toBe(true);
      expect(smtp.connections).toBe(before);
    },
  );

  test('an empty recipient list is refused', async () => {
    const handle = await world.client.tasks.sendEmailAsync.delay('s', 'm', []);
    await expect(handle.result()).rejects.toThrow(/recipientList is empty/);
  });
});

describe('without SMTP_URL', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ env: { SMTP_URL: '' } });
  });
  afterAll(() => world?.close());

  test('each message is kept as an .eml file in the outbox, named by its Message-ID', async () => {
    const handle = await world.client.tasks.sendWelcomeEmail.delay('offline@example.com');
    const { messageId } = await handle.result();
    const file = `${world.config.paths.mailOutboxDir}/${messageId.replace(/[<>]/g, '')}.eml`;
    const eml = await readFile(file, 'utf8');
    expect(eml).toContain('To: offline@example.com');
    expect(eml).toContain(`Message-ID: ${messageId}`);
  });
});

