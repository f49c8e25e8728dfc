import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface ReceivedEmail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
}

/**
 * A real SMTP server (smtp-server) on a random port: every test file gets its own mailbox,
 * and reads back what the app sent over the wire, parsed by mailparser.
 */
export class Inbox {
  readonly messages: ReceivedEmail[] = [];
  private waiters: (() => void)[] = [];
  private held: Promise<void> = Promise.resolve();
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, session, callback) => {
      this.held
        .then(() => simpleParser(stream))
        .then((mail) => {
          this.messages.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            headers: mail.headers,
          });
          this.waiters.splice(0).forEach((w) => w());
          callback();
        })
        .catch(callback);
    },
  });
  port = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return `smtp://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Until the returned release is called, every email waits before it is accepted (a mail server slow to answer). */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      release();
      this.held = Promise.resolve();
    };
  }

  /** Emails sent to `address` (case-insensitive), oldest first. */
  to(address: string): ReceivedEmail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits for an email matching `match`, failing with what did arrive if none does. */
  async waitFor(match: (m: ReceivedEmail) => boolean, timeoutMs = 15_000): Promise<ReceivedEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no matching email within ${timeoutMs} ms; received: ${JSON.stringify(this.messages.map((m) => ({ to: m.to, subject: m.subject })))}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** First http(s) link in the email's text whose path contains `pathPart`. */
  static link(email: ReceivedEmail, pathPart: string): string {
    const link = email.text.match(/https?:\/\/\S+/g)?.find((l) => l.includes(pathPart));
    if (!link) throw new Error(`no link containing "${pathPart}" in email "${email.subject}":\n${email.text}`);
    return link;
  }
}
