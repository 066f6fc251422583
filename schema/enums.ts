/**
 * The values of the enum columns. SQLite keeps them as text; drizzle's `enum` option types
 * the columns with these unions, so code reads typed values instead of casting strings.
 * Public contract (DOMAIN.md, API.md): add values freely, never rename one.
 */

/**
 * Order states (DOMAIN.md lifecycle), plus: `scheduled` (a later instalment not released
 * yet), `change_requested` (the pharmacist proposed a change, the doctor decides),
 * `awaiting_stock` (part handed over, the rest held until stock arrives), `returned` (the
 * pharmacy could not fulfil it and no other pharmacy could: back to the doctor), `expired`
 * (ready for pickup but never collected within the consortium's limit).
 */
export const ORDER_STATUSES = [
  "scheduled",
  "pending_review",
  "change_requested",
  "approved",
  "rejected",
  "dispensing",
  "ready_for_pickup",
  "picked_up",
  "shipped",
  "delivered",
  "awaiting_stock",
  "returned",
  "expired",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FULFILMENT_MODES = ["pickup", "delivery"] as const;
export type FulfilmentMode = (typeof FULFILMENT_MODES)[number];

/** Who caused an order event: the desk, an external pharmacy's callback, the platform (cron, queue), the doctor. */
export const EVENT_SOURCES = ["desk", "callback", "system", "doctor"] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const OUTBOX_KINDS = ["order.created", "order.cancelled"] as const;
export const OUTBOX_STATES = ["pending", "delivered", "dead"] as const;

/** sms / wechat reach the patient; inbox is the prescribing doctor's in-platform notice. */
export const NOTIFICATION_CHANNELS = ["sms", "wechat", "inbox"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const NOTIFICATION_STATES = ["pending", "sent", "failed"] as const;

export const PRESCRIPTION_KINDS = ["normal", "emergency", "long_term"] as const;
/** `replaced`: a change request was accepted and a new signed prescription took over its orders. */
export const PRESCRIPTION_STATUSES = ["signed", "cancelled", "completed", "replaced"] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

export const INTEGRATIONS = ["desk", "external"] as const;

/**
 * Pharmacist titles (卫生专业技术资格, 药学): 药士, 药师, 主管药师, 副主任药师, 主任药师.
 * 处方管理办法 art. 31: review and hand-over need 药师 or above.
 */
export const PHARMACIST_TITLES = ["assistant_pharmacist", "pharmacist", "senior_pharmacist", "associate_chief_pharmacist", "chief_pharmacist"] as const;
export type PharmacistTitle = (typeof PHARMACIST_TITLES)[number];
/** Their Chinese names: one table for the API's descriptions, the pages and the server (ui/labels.ts takes it). */
export const PHARMACIST_TITLE_LABELS: Record<PharmacistTitle, string> = {
  assistant_pharmacist: "药士",
  pharmacist: "药师",
  senior_pharmacist: "主管药师",
  associate_chief_pharmacist: "副主任药师",
  chief_pharmacist: "主任药师",
};
export const LICENSED_PHARMACIST_TITLES: readonly PharmacistTitle[] = ["pharmacist", "senior_pharmacist", "associate_chief_pharmacist", "chief_pharmacist"];

export const CHANGE_REQUEST_STATUSES = ["open", "accepted", "declined", "withdrawn"] as const;
export type ChangeRequestStatus = (typeof CHANGE_REQUEST_STATUSES)[number];
