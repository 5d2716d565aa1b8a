/** The guide's email tasks: the welcome mail, the contact form, notifications to admins. */
import { log } from '@temporalio/activity';
import type { Config } from '../common/config';
import { PermanentError } from '../common/errors';
import type { Mailer, OutgoingMail } from './mailer';
import { executionKey } from './task-context';

// Deliberately strict: one address, no display name, a dot in the domain. Anything looser is a
// typo that would bounce later, after the user has gone.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

export function checkRecipients(recipients: readonly unknown[], field = 'recipientList'): string[] {
  if (!Array.isArray(recipients) || recipients.length === 0) {
    throw new PermanentError(`${field} is empty: give at least one email address`, { type: 'InvalidEmailAddress' });
  }
  for (const address of recipients) {
    if (typeof address !== 'string' || !ADDRESS.test(address)) {
      throw new PermanentError(`"${String(address)}" is not a valid email address (expected name@domain.tld)`, {
        type: 'InvalidEmailAddress',
      });
    }
  }
  return recipients as string[];
}

function messageId(config: Config): string {
  const domain = config.mail.from.split('@')[1] ?? 'quiz-code.com';
  return `<${executionKey()}@${domain}>`;
}

/** How every task sends mail: a Message-ID stable across retries of the running task, and a log line. */
export function mailDelivery({ config, mailer }: { config: Config; mailer: Mailer }) {
  return async function deliver(to: string[], subject: string, text: string, attachments?: OutgoingMail['attachments']) {
    const sent = await mailer.send({ to, subject, text, attachments, messageId: messageId(config) });
    log.info('email sent', { to, subject, messageId: sent.messageId, savedTo: sent.savedTo });
    return sent;
  };
}

export function emailTasks(deps: { config: Config; mailer: Mailer }) {
  const { config } = deps;
  const deliver = mailDelivery(deps);

  return {
    /** The guide's `send_welcome_email(user_email)`. */
    async sendWelcomeEmail(email: string): Promise<{ messageId: string }> {
      const [to] = checkRecipients([email], 'email');
      const { messageId } = await deliver([to], 'Добро пожаловать!', 'Спасибо за регистрацию!');
      return { messageId };
    },

    /** The guide's `send_email_async(subject, message, recipient_list)`; returns true as the guide does. */
    async sendEmailAsync(subject: string, message: string, recipientList: string[]): Promise<boolean> {
      await deliver(checkRecipients(recipientList), subject, message);
      return true;
    },

    /** Tells the admins about a result: the tail of the guide's download → process → notify chain. */
    async sendNotification(result: unknown, email?: string): Promise<{ messageId: string; to: string[] }> {
      const to = checkRecipients(email ? [email] : config.mail.admins, 'email');
      const body = typeof result === 'string' ? result : JSON.stringify(result, null, 2);
      const { messageId } = await deliver(to, 'Задача выполнена', body);
      return { messageId, to };
    },
  };
}
