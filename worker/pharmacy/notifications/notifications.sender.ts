import { getDb } from "../../db";
import type { Bindings } from "../../env";
import { markNotification, pendingNotificationsQuery } from "./notifications.repo";
import { messageParams, renderNotification } from "./notifications.render";

// ---------------------------------------------------------------------------------------
// Senders
// ---------------------------------------------------------------------------------------

export interface OutgoingNotification {
  /** stable per notification: a provider that supports it should use it as its dedupe key */
  id: string;
  template: string;
  params: Record<string, string>;
  /** the sender resolves the patient's phone or WeChat openid itself; it never travels here */
  patientId: string;
}

/** `error` is logged: a sender puts the provider's error code or message in it, never a phone number or the text. */
export type SendResult = { ok: true } | { ok: false; error: string; permanent: boolean };

export interface NotificationSender {
  channel: "sms" | "wechat";
  send(n: OutgoingNotification): Promise<SendResult>;
}

export interface RecordedMessage {
  id: string;
  template: string;
  text: string;
}

/**
 * The local default: renders the message, keeps it in memory (tests read `sent`) and logs a
 * structured line without personal data (no patient id, no params, no text). Succeeds unless
 * the template is unknown (a permanent failure).
 */
export class RecordingSender implements NotificationSender {
  readonly sent: RecordedMessage[] = [];

  constructor(readonly channel: "sms" | "wechat" = "sms") {}

  async send(n: OutgoingNotification): Promise<SendResult> {
    let text: string;
    try {
      text = renderNotification(n.template, n.params);
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : "render failed", permanent: true };
    }
    this.sent.push({ id: n.id, template: n.template, text });
    console.log(JSON.stringify({ level: "info", msg: "notification recorded", channel: this.channel, notificationId: n.id, template: n.template, chars: text.length }));
    return { ok: true };
  }
}

/**
 * The sender the cron uses. No SMS or WeChat provider is configured in this deployment, so
 * every environment records; a real provider is chosen here from its bindings once it exists.
 */
export function defaultSender(_env: Bindings): NotificationSender {
  return new RecordingSender("sms");
}

// ---------------------------------------------------------------------------------------
// The sending run (called by the cron)
// ---------------------------------------------------------------------------------------

/**
 * A transiently failing notification is retried on every run, oldest first. Past this age it
 * is marked failed instead, so a message that can never go out stops occupying the head of
 * the queue (the schema keeps no attempt count).
 */
export const MAX_PENDING_AGE_MS = 72 * 60 * 60 * 1000;

export interface SendSummary {
  /** rows loaded and handed to the sender */
  attempted: number;
  /** rows this run marked sent */
  sent: number;
  /** rows this run marked failed (permanent failure, or transient past MAX_PENDING_AGE_MS) */
  failed: number;
  /** transient failures left pending for the next run */
  retrying: number;
  /** rows a concurrent run had already marked: this run's mark changed nothing */
  alreadyMarked: number;
}

/**
 * Sends pending notifications of the sender's channel, oldest first, at most `limit`, one
 * at a time, and marks each right after its send: sent (with sentAt), failed (permanent),
 * or left pending (transient: the next run retries it).
 *
 * Every mark is conditional (`WHERE state = 'pending'`): whichever of two overlapping runs
 * marks first wins, the other's mark changes nothing, and a row never goes back to
 * pending, so no later run sends it again. Delivery itself is at least once: two
 * overlapping runs can both hand the same row to the provider, and a crash between a send
 * and its mark sends it again on the next run. The notification id is passed as the
 * provider's dedupe key for that reason.
 */
export async function sendPendingNotifications(env: Bindings, now: Date, sender: NotificationSender = defaultSender(env), limit = 50): Promise<SendSummary> {
  const db = getDb(env.DB);
  const at = now.toISOString();
  const rows = await pendingNotificationsQuery(db, sender.channel, limit);
  const summary: SendSummary = { attempted: rows.length, sent: 0, failed: 0, retrying: 0, alreadyMarked: 0 };
  for (const row of rows) {
    const result = await safeSend(sender, {
      id: row.id,
      template: row.template,
      params: messageParams(row.params, row),
      patientId: row.patientId,
    });
    let outcome: "sent" | "failed" | null;
    if (result.ok) outcome = "sent";
    else if (result.permanent || now.getTime() - Date.parse(row.createdAt) > MAX_PENDING_AGE_MS) outcome = "failed";
    else outcome = null;
    if (!result.ok) {
      console.warn(JSON.stringify({ level: "warn", msg: "notification send failed", channel: sender.channel, notificationId: row.id, template: row.template, permanent: result.permanent, giveUp: outcome === "failed", error: result.error.slice(0, 200) }));
    }
    if (outcome === null) {
      summary.retrying++;
      continue;
    }
    const changed = await markNotification(db, row.id, outcome, outcome === "sent" ? at : null);
    if (!changed) summary.alreadyMarked++;
    else if (outcome === "sent") summary.sent++;
    else summary.failed++;
  }
  return summary;
}

/** A sender that throws is treated as a transient failure: the row stays pending. */
async function safeSend(sender: NotificationSender, n: OutgoingNotification): Promise<SendResult> {
  try {
    return await sender.send(n);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : "sender threw", permanent: false };
  }
}
