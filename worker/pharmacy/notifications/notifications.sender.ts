import { and, asc, eq, sql } from "drizzle-orm";
import { notifications, orders, pharmacySites } from "../../../schema";
import { type Db, getDb } from "../../db";
import type { Bindings } from "../../env";

// ---------------------------------------------------------------------------------------
// Templates (pure)
// ---------------------------------------------------------------------------------------

export const NOTIFICATION_TEMPLATES = ["order-ready-for-pickup", "order-shipped", "order-delivered", "order-rejected"] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/**
 * What a patient reads about a rejection, per 处方点评 category (医院处方点评管理规范: 不规范 /
 * 用药不适宜 / 超常). Reject reason codes are `category.reason` (desk.labels.ts); the detailed
 * reason goes to the doctor, the patient gets its category in plain words. A code of an
 * unknown category is never shown raw: the generic label is used instead.
 */
export const REJECT_CATEGORY_LABELS: Record<string, string> = {
  non_standard: "处方书写不规范，需医生补充或更正",
  inappropriate: "用药不适宜，需医生调整用药方案",
  abnormal: "超常用药，需医生复核",
};
const GENERIC_REJECT_LABEL = "处方需医生复核";

/** Params that must not be shown back to staff (the pickup code proves the patient at hand-over). */
const SECRET_PARAMS = ["pickupCode"] as const;

/** SMS text is short and single-line: values typed by staff (carrier, notes) are trimmed and capped. */
const MAX_PARAM_CHARS = 40;

function clean(value: string | undefined): string {
  if (value === undefined) return "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, MAX_PARAM_CHARS);
}

export function isNotificationTemplate(template: string): template is NotificationTemplate {
  return (NOTIFICATION_TEMPLATES as readonly string[]).includes(template);
}

/** The label a patient reads for a reject reason: an explicit label, else the code's label, else a generic one. */
export function rejectReasonLabel(params: Record<string, string>): string {
  const explicit = clean(params.reasonLabel);
  if (explicit) return explicit;
  const code = params.reasonCode ?? params.reason ?? "";
  const category = code.split(".")[0] ?? "";
  return (Object.hasOwn(REJECT_CATEGORY_LABELS, category) && REJECT_CATEGORY_LABELS[category]) || GENERIC_REJECT_LABEL;
}

/**
 * The Chinese message of a notification, from its template and params. Pure; a missing
 * param degrades the sentence instead of printing "undefined". Params carry no medical
 * data (notificationsFor): only the order reference and logistics.
 * Throws RangeError for an unknown template (a permanent failure for the sender).
 */
export function renderNotification(template: string, params: Record<string, string>): string {
  const ref = clean(params.reference);
  const tail = ref ? `（订单号 ${ref}）` : "";
  switch (template) {
    case "order-ready-for-pickup": {
      const code = clean(params.pickupCode);
      const site = clean(params.siteName) || "指定取药点";
      return code ? `【药联】您的药品已备好，请凭取药码 ${code} 到${site}取药${tail}。` : `【药联】您的药品已备好，请到${site}取药${tail}。`;
    }
    case "order-shipped": {
      const carrier = clean(params.carrier);
      const tracking = clean(params.trackingNo);
      const logistics = [carrier ? `承运商：${carrier}` : "", tracking ? `运单号：${tracking}` : ""].filter(Boolean).join("，");
      return `【药联】您的药品已发出${logistics ? `，${logistics}` : ""}${tail}。`;
    }
    case "order-delivered":
      return `【药联】您的药品已送达，请核对药品并按医嘱用药${tail}。`;
    case "order-rejected":
      return `【药联】您的处方未通过药师审核（原因：${rejectReasonLabel(params)}），请联系您的医生${tail}。`;
    default:
      throw new RangeError(`unknown notification template ${template}`);
  }
}

/** Params safe to show to staff: secrets masked. */
export function redactParams(params: Record<string, string>): Record<string, string> {
  const out = { ...params };
  for (const key of SECRET_PARAMS) if (out[key] !== undefined) out[key] = "******";
  return out;
}

/**
 * The params a message is rendered from: those stored with the notification (the values at
 * the transition), completed from the order and its pickup site for whatever the caller
 * of the transition did not pass (site name, carrier, tracking number, reject reason).
 */
export function messageParams(stored: Record<string, string>, facts: OrderFacts): Record<string, string> {
  const fallback: Record<string, string> = {};
  if (facts.siteName) fallback.siteName = facts.siteName;
  if (facts.carrier) fallback.carrier = facts.carrier;
  if (facts.trackingNo) fallback.trackingNo = facts.trackingNo;
  if (facts.rejectReason) fallback.reasonCode = facts.rejectReason;
  return { ...fallback, ...stored };
}

export interface OrderFacts {
  siteName: string | null;
  carrier: string | null;
  trackingNo: string | null;
  rejectReason: string | null;
}

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

// (queries kept beside their only caller: this module is the notification sender's whole data access)

function pendingNotificationsQuery(db: Db, channel: NotificationSender["channel"], limit: number) {
  return db
    .select({
      id: notifications.id,
      patientId: notifications.patientId,
      template: notifications.template,
      params: notifications.params,
      createdAt: notifications.createdAt,
      siteName: pharmacySites.name,
      carrier: orders.carrier,
      trackingNo: orders.trackingNo,
      rejectReason: orders.rejectReason,
    })
    .from(notifications)
    .leftJoin(orders, eq(orders.id, notifications.orderId))
    .leftJoin(pharmacySites, eq(pharmacySites.id, orders.pickupSiteId))
    .where(and(eq(notifications.state, "pending"), eq(notifications.channel, channel)))
    // rowid: insertion order among notifications written at the same instant (ship, then deliver)
    .orderBy(asc(notifications.createdAt), sql`${notifications}.rowid`)
    .limit(limit);
}

/** Conditional: true when this call moved the row out of pending, false when another run already had. */
async function markNotification(db: Db, id: string, state: "sent" | "failed", sentAt: string | null): Promise<boolean> {
  const res = await db
    .update(notifications)
    .set({ state, sentAt })
    .where(and(eq(notifications.id, id), eq(notifications.state, "pending")));
  return (res.meta.changes ?? 0) > 0;
}
