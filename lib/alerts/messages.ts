// What a notification says, per channel: one notice (title, text, facts, link) rendered as a Slack Block Kit
// message, a Teams Adaptive Card 1.5, or an email. Pure: the tests check these against Slack's limits and the
// vendored Adaptive Card schema.
import type { KnownBlock } from "@slack/types";
import { formatMoney } from "@/lib/format";
import type { FinalizedNotice, RunNotice } from "@/lib/billing/notify";
import type { Report } from "./digests";

export type Notice = { title: string; text: string; facts: [string, string][]; link: string | null };

type AlertPayload = { alert: { kind: string; department: string | null; period: string; status: string; message: string; value: string; threshold: string; link?: string } };

type ReportPayload = Omit<Report, "kind">;

const REPORT_TITLES: Record<string, string> = { "digest.daily": "Daily spend digest", "digest.weekly": "Weekly spend digest", "statement.monthly": "Monthly statement" };

/** A digest or statement (lib/alerts/digests.ts): the total, the top lines, the budget, events awaiting FX. */
function reportNotice(event: string, { report: r }: { report: ReportPayload }, appUrl: string | null): Notice {
  const m = (v: string) => formatMoney(v, r.currency);
  const period = r.from === r.to ? r.from : `${r.from} – ${r.to}`;
  const link = appUrl ? new URL(r.department ? `/events?from=${r.from}&to=${r.to}&department=${r.department}` : `/usage?from=${r.from}&to=${r.to}`, appUrl).toString() : null;
  const budget = r.budget ? ` against a budget of ${m(r.budget)} (${r.budgetUsed} % used)` : "";
  return {
    title: `${REPORT_TITLES[event]}: ${r.scopeName}, ${period}`,
    text: `${r.scopeName} spent ${m(r.total)} over ${r.events} events in ${period}${budget}.` + (r.fxPending ? ` ${r.fxPending} events still await an FX rate and count as 0.` : ""),
    // The total first: Slack shows at most 10 fields.
    facts: [
      ["Total", m(r.total)],
      // A department's statement as files (a mail also carries the PDF attached; chat messages have the links only).
      ...(event === "statement.monthly" && r.department && appUrl
        ? (["csv", "pdf"] as const).map((format): [string, string] => [`Statement ${format.toUpperCase()}`, new URL(`/api/v1/allocation/${encodeURIComponent(r.department!)}?period=${r.from.slice(0, 7)}&format=${format}`, appUrl).toString()])
        : []),
      ...r.lines.map((l): [string, string] => [l.label, m(l.cost)]),
    ],
    link,
  };
}

/** The notice of a delivery's event and payload (alert.opened | alert.cleared | webhook.test). */
export function noticeOf(event: string, payload: unknown, appUrl: string | null): Notice {
  const link = appUrl ? new URL("/alerts", appUrl).toString() : null;
  if (event === "alert.opened" || event === "alert.cleared") {
    const { alert } = payload as AlertPayload;
    const drillDown = alert.link && appUrl ? new URL(alert.link, appUrl).toString() : null;
    const what = event === "alert.opened" ? "Alert" : "Cleared";
    return {
      title: `${what}: ${alert.kind} alert${alert.department ? ` for ${alert.department}` : ""} (${alert.period})`,
      text: alert.message,
      facts: [
        ["Department", alert.department ?? "Organization"],
        ["Period", alert.period],
        ["Value", alert.value],
        ["Threshold", alert.threshold],
        ["Status", alert.status],
      ],
      link: drillDown ?? link,
    };
  }
  if (event === "digest.daily" || event === "digest.weekly" || event === "statement.monthly") return reportNotice(event, payload as { report: ReportPayload }, appUrl);
  if (event === "invoice.finalized") {
    const { invoice: i } = payload as { invoice: FinalizedNotice };
    return {
      title: `Invoice ${i.number} finalized${i.customer ? ` for ${i.customer}` : ""} (${i.period})`,
      text: `Invoice ${i.number}${i.customer ? ` to ${i.customer}` : ""} for ${i.period} was finalized: ${formatMoney(i.total, i.currency)}${i.dueDate ? `, due ${i.dueDate}` : ""}.`,
      facts: [["Invoice", i.number], ["Customer", i.customer ?? "—"], ["Period", i.period], ["Total", formatMoney(i.total, i.currency)], ["Due", i.dueDate ?? "—"]],
      link: appUrl ? new URL(`/invoices/${i.id}`, appUrl).toString() : null,
    };
  }
  if (event === "invoices.run") {
    const { run: r } = payload as { run: RunNotice };
    const did = r.action === "drafts" ? "drafts generated" : `${r.finalized} finalized, ${r.needsApproval} awaiting approval, ${r.failed} failed`;
    return {
      title: `Invoice run summary: ${r.period}, ${r.action === "drafts" ? "drafts generated" : "finalized"}`,
      text: `Invoice run for ${r.period} by ${r.by}: ${did}. The period now has ${r.invoices.map((g) => `${g.count} ${g.status} (${formatMoney(g.total, g.currency)})`).join(", ") || "no invoices"}.`,
      facts: r.invoices.map((g): [string, string] => [`${g.status === "draft" ? "Drafts" : "Finalized"} ${g.currency}`, `${g.count} · ${formatMoney(g.total, g.currency)}`]),
      link: appUrl ? new URL(`/invoices?period=${r.period}`, appUrl).toString() : null,
    };
  }
  const { message } = payload as { message?: string };
  return { title: "Test from AgentLedger", text: message ?? "This channel receives AgentLedger alerts.", facts: [["Event", event]], link };
}

/** Slack's documented limits (docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = { blocks: 50, headerText: 150, sectionText: 3000, fields: 10, fieldText: 2000, messageText: 40_000 } as const;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack's mrkdwn treats &, < and > as control characters. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export type SlackMessage = { text: string; blocks: KnownBlock[] };

export function slackMessage(n: Notice): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: cut(n.title, SLACK_LIMITS.headerText) } },
    { type: "section", text: { type: "mrkdwn", text: cut(mrkdwn(n.text), SLACK_LIMITS.sectionText) } },
  ];
  if (n.facts.length) {
    blocks.push({
      type: "section",
      fields: n.facts.slice(0, SLACK_LIMITS.fields).map(([k, v]) => ({ type: "mrkdwn", text: cut(`*${mrkdwn(k)}*\n${mrkdwn(v)}`, SLACK_LIMITS.fieldText) })),
    });
  }
  if (n.link) blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in AgentLedger" }, url: n.link }] });
  // `text` is the notification and screen-reader fallback for the blocks.
  return { text: cut(`${n.title}: ${n.text}`, SLACK_LIMITS.messageText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

/** A Teams workflow ("When a Teams webhook request is received") message carrying one Adaptive Card 1.5. */
export function teamsMessage(n: Notice) {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.5",
          body: [
            { type: "TextBlock", text: n.title, weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: n.text, wrap: true },
            ...(n.facts.length ? [{ type: "FactSet", facts: n.facts.map(([title, value]) => ({ title, value })) }] : []),
          ],
          ...(n.link ? { actions: [{ type: "Action.OpenUrl", title: "Open in AgentLedger", url: n.link }] } : {}),
        },
      },
    ],
  };
}

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function emailMessage(n: Notice, unsubscribeUrl: string | null): { subject: string; text: string; html: string } {
  const facts = n.facts.map(([k, v]) => `${k}: ${v}`).join("\n");
  const footer = unsubscribeUrl ? `\n\nStop these emails: ${unsubscribeUrl}` : "";
  return {
    subject: `[AgentLedger] ${n.title}`.replace(/[\r\n]+/g, " "),
    text: `${n.text}\n\n${facts}${n.link ? `\n\n${n.link}` : ""}${footer}\n`,
    html:
      `<p>${html(n.text)}</p><table>${n.facts.map(([k, v]) => `<tr><th align="left">${html(k)}</th><td>${html(v)}</td></tr>`).join("")}</table>` +
      (n.link ? `<p><a href="${html(n.link)}">Open in AgentLedger</a></p>` : "") +
      (unsubscribeUrl ? `<p><small><a href="${html(unsubscribeUrl)}">Unsubscribe</a> from these emails.</small></p>` : ""),
  };
}
