import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { prescriptions } from "./prescriptions";

/**
 * The pharmacy's work on one signed prescription: one order per instalment. States:
 * scheduled (a later instalment not yet released) → pending_review → approved | rejected →
 * dispensing → ready_for_pickup → picked_up, or shipped → delivered; cancelled before hand-over.
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    prescriptionId: text("prescription_id")
      .notNull()
      .references(() => prescriptions.id),
    pharmacyId: text("pharmacy_id").notNull(),
    patientId: text("patient_id").notNull(),
    institutionId: text("institution_id").notNull(),
    instalment: integer("instalment").notNull(),
    instalments: integer("instalments").notNull(),
    /** supply days this instalment covers, from supplyFrom */
    days: integer("days").notNull(),
    supplyFrom: text("supply_from").notNull(),
    /** the date a scheduled instalment is released to the pharmacy */
    releaseOn: text("release_on").notNull(),
    mode: text("mode").notNull(),
    pickupSiteId: text("pickup_site_id"),
    address: text("address", { mode: "json" }).$type<{ region: string; line: string; phone: string } | null>(),
    items: text("items", { mode: "json" }).$type<{ drugCode: string; genericName: string; packages: number }[]>().notNull(),
    status: text("status").notNull(),
    /** public reference for the patient-facing status lookup (no medical data behind it) */
    reference: text("reference").notNull(),
    pickupCodeHash: text("pickup_code_hash"),
    pickupAttempts: integer("pickup_attempts").notNull(),
    carrier: text("carrier"),
    trackingNo: text("tracking_no"),
    rejectReason: text("reject_reason"),
    rejectNote: text("reject_note"),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("orders_pharmacy_status").on(t.pharmacyId, t.status, t.createdAt),
    index("orders_prescription").on(t.prescriptionId, t.instalment),
    index("orders_release").on(t.status, t.releaseOn),
    uniqueIndex("orders_reference").on(t.reference),
  ],
);

/** Every transition, with actor and time: the order's timeline. */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    at: text("at").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    actorId: text("actor_id").notNull(),
    actorRole: text("actor_role").notNull(),
    /** desk | callback | system | doctor */
    source: text("source").notNull(),
    note: text("note"),
  },
  (t) => [index("order_events_order").on(t.orderId, t.id)],
);

/** Messages to external pharmacies, written in the same batch as the order (transactional outbox). */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    pharmacyId: text("pharmacy_id").notNull(),
    /** order.created | order.cancelled */
    kind: text("kind").notNull(),
    payload: text("payload").notNull(),
    /** sent as Idempotency-Key: the pharmacy applies each message once */
    idempotencyKey: text("idempotency_key").notNull(),
    /** pending | delivered | dead */
    state: text("state").notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: text("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: text("created_at").notNull(),
    deliveredAt: text("delivered_at"),
  },
  (t) => [index("outbox_pending").on(t.state, t.nextAttemptAt), uniqueIndex("outbox_idempotency").on(t.idempotencyKey)],
);

/** Callback event ids already applied: a replayed callback changes nothing. */
export const pharmacyCallbackEvents = sqliteTable(
  "pharmacy_callback_events",
  {
    pharmacyId: text("pharmacy_id").notNull(),
    eventId: text("event_id").notNull(),
    orderId: text("order_id").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pharmacyId, t.eventId] })],
);

/** What a patient is told, through a pluggable sender (the local default only records). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    patientId: text("patient_id").notNull(),
    /** sms | wechat */
    channel: text("channel").notNull(),
    template: text("template").notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /** pending | sent | failed */
    state: text("state").notNull(),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
  },
  (t) => [index("notifications_state").on(t.state, t.createdAt), index("notifications_order").on(t.orderId)],
);
