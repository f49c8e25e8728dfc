import nodemailer from 'nodemailer';
import { EmailLogModel } from './models/email-log';

export interface OutgoingEmail {
  /** Idempotency key, e.g. `${workflowId}:consent-request:1`. Same key = same email, sent once. */
  key: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  template?: string;
}

export interface Mailer {
  /** Sends unless an email with this key was already sent; returns whether it sent now. */
  send(email: OutgoingEmail): Promise<{ sent: boolean; messageId?: string }>;
  close(): void;
}

export function createMailer(opts: { smtpUrl: string; from: string }): Mailer {
  // Pooled: connections stay open between emails. A new SMTP connection costs ~100 ms before the
  // first command (greeting, EHLO), which a migrating user waited on; a pooled send costs ~3 ms.
  // `?pool=false` in SMTP_URL turns it off.
  const transport = nodemailer.createTransport({ url: opts.smtpUrl, pool: true });
  return {
    async send(email) {
      // Claim the key first. A row left in 'sending' means a previous attempt died between
      // claim and SMTP acceptance: sending again is the at-least-once we accept.
      const claimed = await EmailLogModel.findOneAndUpdate(
        { key: email.key },
        { $setOnInsert: { key: email.key, to: email.to, subject: email.subject, template: email.template, state: 'sending' } },
        { upsert: true, returnDocument: 'before' },
      ).lean();
      if (claimed?.state === 'sent') return { sent: false, messageId: claimed.messageId ?? undefined };

      const info = await transport.sendMail({
        from: opts.from,
        to: email.to.join(', '),
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: { 'X-Entrada-Key': email.key },
      });
      await EmailLogModel.updateOne({ key: email.key }, { $set: { state: 'sent', messageId: info.messageId, sentAt: new Date() } });
      return { sent: true, messageId: info.messageId };
    },
    close() {
      transport.close();
    },
  };
}
