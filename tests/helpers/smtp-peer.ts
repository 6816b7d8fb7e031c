// Imported first by tests that send mail: a real SMTP server (smtp-server) in the test process, and the SMTP_*
// settings pointing at it before anything reads the configuration. Received messages are parsed with mailparser.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export const mailbox: { envelopeTo: string[]; mail: ParsedMail }[] = [];
/** SMTP reply codes to answer the next DATA commands with (e.g. 451, 550) instead of accepting. */
export const refuseNext: number[] = [];
/** While set, a message's DATA is received but never answered (the sender hangs until it dies) and not kept: `held` counts them. */
export const hold = { on: false, held: 0 };
/** Promises the next DATA replies wait for (a mail held in flight, e.g. to race a send with a void). */
export const holdNext: Promise<void>[] = [];

export const smtpServer = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", async () => {
      if (hold.on) {
        hold.held++;
        return; // never answered: the sender is stuck mid-delivery until its process dies or times out
      }
      await holdNext.shift();
      const code = refuseNext.shift();
      if (code) return callback(Object.assign(new Error(code >= 500 ? "mailbox refused" : "try later"), { responseCode: code }));
      simpleParser(Buffer.concat(chunks)).then((mail) => {
        mailbox.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      }, callback);
    });
  },
});
await new Promise<void>((resolve) => smtpServer.listen(0, "127.0.0.1", resolve));

process.env.SMTP_HOST = "127.0.0.1";
process.env.SMTP_PORT = String((smtpServer.server.address() as AddressInfo).port);
process.env.SMTP_STARTTLS = "off";
process.env.SMTP_FROM = "AgentLedger <alerts@agentledger.test>";
process.env.NEXTAUTH_URL = "http://localhost:3000";
