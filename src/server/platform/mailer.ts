import type { FastifyBaseLogger } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/client.js';
import { mailOutbox } from '../db/schema/index.js';
import type { Clock } from './clock.js';

export type Mail = { to: string; template: string; subject: string; text: string };

/** Sends mail; the default keeps it in an outbox table so the product works with no SMTP. */
export interface Mailer {
  send(mail: Mail, db?: Db): Promise<void>;
}

/**
 * Writes each mail to `mail_outbox` (in the caller's transaction when given one) and logs that it did,
 * without the address or the body: both may hold personal data or one-time tokens.
 */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  async send(mail: Mail, db: Db = this.db): Promise<void> {
    const id = uuidv7();
    await db.insert(mailOutbox).values({
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
