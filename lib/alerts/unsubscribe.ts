// Unsubscribe links in notification mail: a token signed with HMAC-SHA256 (key derived from NEXTAUTH_SECRET) naming
// the email channel and its address, so the link works without signing in and cannot be forged for another channel.
import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { audit } from "@/lib/audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

function mac(text: string): string {
  const key = Buffer.from(hkdfSync("sha256", env().NEXTAUTH_SECRET, "agentledger", "unsubscribe-v1", 32));
  return createHmac("sha256", key).update(text).digest("base64url");
}

export function unsubscribeToken(channelId: number, email: string): string {
  const body = Buffer.from(JSON.stringify({ c: channelId, e: email })).toString("base64url");
  return `${body}.${mac(body)}`;
}

export function unsubscribeUrl(appUrl: string, channelId: number, email: string): string {
  return new URL(`/api/v1/unsubscribe?token=${unsubscribeToken(channelId, email)}`, appUrl).toString();
}

/** The channel and address a token names, or null when it was not signed by this server. */
export function readUnsubscribeToken(token: string): { channelId: number; email: string } | null {
  const [body = "", sig = ""] = token.split(".");
  const expected = Buffer.from(mac(body));
  const given = Buffer.from(sig);
  if (!body || expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const { c, e } = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { c: number; e: string };
  return { channelId: c, email: e };
}

/** Pauses the email channel the token names (idempotent); false when the token is invalid or the channel gone. */
export async function unsubscribe(token: string): Promise<boolean> {
  const t = readUnsubscribeToken(token);
  if (!t) return false;
  return db.$transaction(async (tx) => {
    const channel = await tx.webhook.findUnique({ where: { id: t.channelId } });
    if (!channel || channel.type !== "email" || channel.url !== `mailto:${t.email}`) return false;
    if (channel.active) {
      await tx.webhook.update({ where: { id: channel.id }, data: { active: false } });
      await audit(tx, { actor: null, action: "webhook.unsubscribe", entity: "webhook", entityId: channel.id, before: { active: true }, after: { active: false, by: t.email } });
    }
    return true;
  });
}
