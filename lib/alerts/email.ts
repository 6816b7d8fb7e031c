// Notification mail over SMTP (nodemailer), configured by SMTP_* (lib/env.ts). The SMTP host is the operator's
// own relay, named in the environment, so it is not subject to the outbound-URL policy for user-entered URLs.
import "server-only";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";

export function smtpConfigured(): boolean {
  return Boolean(env().SMTP_HOST);
}

export type Mail = {
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
};

/** Sends one message and returns its Message-ID; throws with the SMTP reply code (responseCode) when the server refuses it. */
export async function sendMail(mail: Mail, timeoutMs: number): Promise<string> {
  const e = env();
  if (!e.SMTP_HOST || !e.SMTP_FROM) throw new Error("SMTP is not configured (SMTP_HOST, SMTP_FROM)");
  const transport = nodemailer.createTransport({
    host: e.SMTP_HOST,
    port: e.SMTP_PORT ?? (e.SMTP_SECURE ? 465 : 587),
    secure: e.SMTP_SECURE,
    requireTLS: !e.SMTP_SECURE && e.SMTP_STARTTLS === "required",
    ignoreTLS: e.SMTP_STARTTLS === "off",
    ...(e.SMTP_USER ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({ from: e.SMTP_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers, attachments: mail.attachments });
    return info.messageId;
  } finally {
    transport.close();
  }
}
