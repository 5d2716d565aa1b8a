/**
 * Outgoing mail. With SMTP_URL set, messages go to that server; without it, each message is
 * written as an .eml file into the outbox folder, so nothing is ever dropped silently.
 * SMTP failures are classified here, once: 4xx replies and connection problems are temporary,
 * 5xx replies are permanent and carry the server's own words.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../common/config';
import { PermanentError, TemporaryError } from '../common/errors';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  /** Stable across retries of one task execution, so a receiver can recognise a repeat. */
  messageId: string;
  attachments?: { filename: string; path: string }[];
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  /** Where the .eml file went, when no SMTP server is configured. */
  savedTo?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Human description of where mail goes, for start-up banners. */
  readonly destination: string;
  close(): void;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

export function classifySmtpError(error: unknown): Error {
  const err = error as SmtpError;
  const reply = err.response ?? err.message;
  if (err.responseCode !== undefined && err.responseCode >= 500) {
    return new PermanentError(`the mail server refused the message (${err.responseCode}): ${reply}`, {
      type: 'SmtpRejected',
      details: { responseCode: err.responseCode, response: reply },
    });
  }
  if (err.code === 'EAUTH') {
    return new PermanentError(`the mail server refused our login (${reply}); check the user and password in SMTP_URL`, {
      type: 'SmtpAuthFailed',
    });
  }
  return new TemporaryError(
    err.responseCode !== undefined
      ? `the mail server asked us to try later (${err.responseCode}): ${reply}`
      : `could not reach the mail server: ${err.message}`,
    { type: 'SmtpUnavailable', cause: err, details: { responseCode: err.responseCode, code: err.code } },
  );
}

function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    destination: url.replace(/\/\/[^@/]*@/, '//***@'),
    async send(mail) {
      try {
        const info = await transport.sendMail({ from, ...mail });
        return { messageId: mail.messageId, accepted: info.accepted.map(String) };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: () => transport.close(),
  };
}

function outboxMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    destination: `${dir} (one .eml file per message; set SMTP_URL to send for real)`,
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${mail.messageId.replace(/[^A-Za-z0-9._@-]/g, '')}.eml`);
      // Same name on a retry: the second write replaces the first instead of adding a copy.
      const partial = `${file}.partial`;
      await writeFile(partial, info.message as Buffer);
      await rename(partial, file);
      return { messageId: mail.messageId, accepted: mail.to, savedTo: file };
    },
    close: () => transport.close(),
  };
}

export function createMailer(config: Config): Mailer {
  return config.mail.smtpUrl
    ? smtpMailer(config.mail.smtpUrl, config.mail.from)
    : outboxMailer(config.paths.mailOutboxDir, config.mail.from);
}
