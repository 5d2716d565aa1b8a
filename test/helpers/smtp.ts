/**
 * A real SMTP server in the test process that keeps what it receives, and can be told to
 * answer with errors (421 "try later", 550 "refused") the way real servers do.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string | undefined;
  subject: string | undefined;
  to: string[];
  text: string;
  attachments: ParsedMail['attachments'];
}

type Refusal = { code: number; message: string };

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Message-IDs of every DATA attempt, accepted or refused: retries show up here. */
  readonly attempts: (string | undefined)[] = [];
  connections = 0;
  private refusals: Refusal[] = [];
  private standingRefusal: Refusal | undefined;
  private server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.attempts.push(mail.messageId);
            const refusal = this.refusals.shift() ?? this.standingRefusal;
            if (refusal) {
              const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
              return callback(error);
            }
            const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
            this.received.push({ messageId: mail.messageId, subject: mail.subject, to, text: mail.text ?? '', attachments: mail.attachments });
            callback();
          })
          .catch(callback);
      },
    });
  }

  /** The next `times` messages get this reply; the one after is accepted. */
  refuseNext(times: number, code: number, message: string): void {
    this.refusals = Array.from({ length: times }, () => ({ code, message }));
  }

  /** Forget refusals and what was received. */
  reset(): void {
    this.refusals = [];
    this.standingRefusal = undefined;
    this.received.length = 0;
    this.attempts.length = 0;
  }

  /** Every message from now on gets this reply. */
  refuseAll(code: number, message: string): void {
    this.standingRefusal = { code, message };
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Listens on `port` (a free one when 0), e.g. the port of a server that went away. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
