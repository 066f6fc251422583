import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { EVENT_SOURCES, FULFILMENT_MODES, NOTIFICATION_CHANNELS, NOTIFICATION_STATES, ORDER_STATUSES, OUTBOX_KINDS, OUTBOX_STATES } from "./enums";
import { prescriptions } from "./prescriptions";

/** One line of an order: what the patient is to get of one prescription item, and what they got. */
export interface OrderItem {
  drugCode: string;
  genericName: string;
  /** packages this order supplies */
  packages: number;
  /** storage of the product (routing checks capabilities against it on a re-route) */
  storage?: string;
  /** packages handed over or delivered so far */
  supplied?: number;
  /** packages dispensed in the current round, not yet handed over */
  dispensed?: number;
}

/**
 * The pharmacy's work on one signed prescription: one order per instalment. States
 * (schema/enums.ts ORDER_STATUSES, worker/pharmacy/orders/order-state.ts transitions):
 * scheduled → pending_review → approved | rejected | change_requested → dispensing →
 * ready_for_pickup → picked_up, or shipped → delivered; awaiting_stock when part was held;
 * returned, expired or cancelled when it ends without (full) supply.
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
    mode: text("mode", { enum: FULFILMENT_MODES }).notNull(),
    pickupSiteId: text("pickup_site_id"),
    address: text("address", { mode: "json" }).$type<{ region: string; line: string; phone: string } | null>(),
    items: text("items", { mode: "json" }).$type<OrderItem[]>().notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    /** public reference for the patient-facing status lookup (no medical data behind it) */
    reference: text("reference").notNull(),
    pickupCodeHash: text("pickup_code_hash"),
    /** wrong pickup codes since the current code was issued (a reissue starts again at 0) */
    pickupAttempts: integer("pickup_attempts").notNull(),
    /** wrong pickup codes over the order's whole life: no reissue resets it */
    pickupAttemptsTotal: integer("pickup_attempts_total").notNull().default(0),
    /** pickup codes reissued after the first (capped: worker/pharmacy/desk/pickup.service.ts) */
    pickupCodeReissues: integer("pickup_code_reissues").notNull().default(0),
    carrier: text("carrier"),
    trackingNo: text("tracking_no"),
    rejectReason: text("reject_reason"),
    rejectNote: text("reject_note"),
    /** when it last entered pending_review: the review-time target counts from here */
    pendingSince: text("pending_since"),
    /** when it became ready for pickup: the uncollected expiry counts from here */
    readyAt: text("ready_at"),
    /** times a pharmacy returned it and it went to another one (at most once) */
    reroutes: integer("reroutes").notNull().default(0),
    /** the pharmacy that returned it last, and why */
    returnedBy: text("returned_by"),
    returnReason: text("return_reason"),
    /** dispensing rounds started (a partial supply adds one per restock) */
    dispenseRounds: integer("dispense_rounds").notNull().default(0),
    version: integer("version").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    index("orders_pharmacy_status").on(t.pharmacyId, t.status, t.createdAt),
    index("orders_prescription").on(t.prescriptionId, t.instalment),
    index("orders_release").on(t.status, t.releaseOn),
    index("orders_ready").on(t.status, t.readyAt),
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
    fromStatus: text("from_status", { enum: ORDER_STATUSES }),
    toStatus: text("to_status", { enum: ORDER_STATUSES }).notNull(),
    actorId: text("actor_id").notNull(),
    actorRole: text("actor_role").notNull(),
    source: text("source", { enum: EVENT_SOURCES }).notNull(),
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
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    payload: text("payload").notNull(),
    /** sent as Idempotency-Key: the pharmacy applies each message once */
    idempotencyKey: text("idempotency_key").notNull(),
    state: text("state", { enum: OUTBOX_STATES }).notNull(),
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
    channel: text("channel", { enum: NOTIFICATION_CHANNELS }).notNull(),
    /** who reads an inbox notice (the prescribing doctor); null for the patient's own channels */
    recipientId: text("recipient_id"),
    template: text("template").notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, string>>().notNull(),
    state: text("state", { enum: NOTIFICATION_STATES }).notNull(),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
    /** when the doctor marked an inbox notice done (null: still in the inbox) */
    doneAt: text("done_at"),
  },
  (t) => [index("notifications_state").on(t.state, t.createdAt), index("notifications_order").on(t.orderId), index("notifications_recipient").on(t.recipientId, t.createdAt)],
);

/** What was dispensed, per item and round: lot number and expiry, as a dispensing record keeps them. */
export const orderDispensations = sqliteTable(
  "order_dispensations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    round: integer("round").notNull(),
    /** the item's index in the order's items */
    idx: integer("idx").notNull(),
    drugCode: text("drug_code").notNull(),
    packages: integer("packages").notNull(),
    lotNo: text("lot_no").notNull(),
    /** YYYY-MM-DD or YYYY-MM as printed on the pack */
    expiry: text("expiry").notNull(),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
  },
  (t) => [index("order_dispensations_order").on(t.orderId, t.round, t.idx)],
);

/**
 * A pharmacist's proposed change to a prescription (a 集采 generic, another pack size or
 * strength), re-validated by the rules engine; the prescribing doctor accepts (a new signed
 * prescription replaces the old) or declines.
 */
export const changeRequests = sqliteTable(
  "change_requests",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    prescriptionId: text("prescription_id")
      .notNull()
      .references(() => prescriptions.id),
    pharmacyId: text("pharmacy_id").notNull(),
    /** the prescription's institution and prescriber: who decides */
    institutionId: text("institution_id").notNull(),
    prescriberId: text("prescriber_id").notNull(),
    proposedBy: text("proposed_by").notNull(),
    reason: text("reason").notNull(),
    /** the proposed items (the draft's items with the changes applied) and what changed */
    proposal: text("proposal", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** the engine's findings on the proposal */
    findings: text("findings", { mode: "json" }).$type<unknown[]>().notNull(),
    valid: integer("valid", { mode: "boolean" }).notNull(),
    status: text("status", { enum: ["open", "accepted", "declined", "withdrawn"] }).notNull(),
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    decisionNote: text("decision_note"),
    /** the prescription signed on acceptance */
    newPrescriptionId: text("new_prescription_id"),
    createdAt: text("created_at").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [index("change_requests_order").on(t.orderId, t.createdAt), index("change_requests_institution").on(t.institutionId, t.status, t.createdAt)],
);
