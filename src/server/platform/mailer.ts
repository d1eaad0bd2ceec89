import type { FastifyBaseLogger } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/client.js';
import { mailOutbox } from '../db/schema/index.js';
import type { Clock } from './clock.js';

export type Mail = { to: string; template: string; subject: string; text: string };

/** Sends mail: over SMTP when SMTP_URL is set, else into an outbox table so the product works without. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close?(): Promise<void>;
}

/**
 * Writes each mail to `mail_outbox` and logs that it did, without the address or the body: both may
 * hold personal data or one-time tokens. Outside production `/dev/mailbox` shows the table.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  async send(mail: Mail): Promise<void> {
    const id = uuidv7();
    await this.db.insert(mailOutbox).values({
      id,
      toAddress: mail.to,
      template: mail.template,
      subject: mail.subject,
      bodyText: mail.text,
      createdAt: this.clock.now(),
    });
    this.log.info({ outboxId: id, template: mail.template }, 'mail queued in outbox');
  }
}

/** Sends each mail through an SMTP server (nodemailer); logs the message id, never the address or body. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(mail: Mail): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
    this.log.info({ messageId: info.messageId, template: mail.template }, 'mail sent over SMTP');
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
