import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PRESCRIPTION_KINDS, PRESCRIPTION_STATUSES } from "./enums";

/** A signed prescription: content frozen as canonical JSON with its hash and signature. */
export const prescriptions = sqliteTable(
  "prescriptions",
  {
    id: text("id").primaryKey(),
    patientId: text("patient_id").notNull(),
    prescriberId: text("prescriber_id").notNull(),
    institutionId: text("institution_id").notNull(),
    kind: text("kind", { enum: PRESCRIPTION_KINDS }).notNull(),
    writtenAt: text("written_at").notNull(),
    days: integer("days").notNull(),
    longTermFirstIssue: integer("long_term_first_issue", { mode: "boolean" }),
    status: text("status", { enum: PRESCRIPTION_STATUSES }).notNull(),
    content: text("content").notNull(),
    contentHash: text("content_hash").notNull(),
    signature: text("signature").notNull(),
    signatureKeyId: text("signature_key_id").notNull(),
    formularyVersion: integer("formulary_version").notNull(),
    /** the warnings shown at signing (errors block signing, so none are stored) */
    findings: text("findings", { mode: "json" }).$type<unknown[]>().notNull(),
    createdAt: text("created_at").notNull(),
    cancelledAt: text("cancelled_at"),
    cancelledBy: text("cancelled_by"),
    cancelReason: text("cancel_reason"),
    /** the prescription this one replaced (an accepted change request), and the one that replaced it */
    replaces: text("replaces"),
    replacedBy: text("replaced_by"),
    version: integer("version").notNull(),
  },
  (t) => [
    index("prescriptions_patient").on(t.patientId, t.kind, t.writtenAt),
    index("prescriptions_institution").on(t.institutionId, t.createdAt),
    index("prescriptions_prescriber").on(t.prescriberId, t.createdAt),
  ],
);

/** Items, denormalised for the consortium-wide active-supply lookup (patient, end date). */
export const prescriptionItems = sqliteTable(
  "prescription_items",
  {
    prescriptionId: text("prescription_id")
      .notNull()
      .references(() => prescriptions.id),
    idx: integer("idx").notNull(),
    patientId: text("patient_id").notNull(),
    institutionId: text("institution_id").notNull(),
    drugCode: text("drug_code").notNull(),
    genericName: text("generic_name").notNull(),
    atc: text("atc"),
    /** the item's route as prescribed (or the entry's): a topical supply raises no systemic interaction. NULL on rows signed before issue 10 */
    route: text("route"),
    /** the entry's active ingredients at signing (JSON, as formulary_entries.ingredients). NULL on rows signed before issue 10 */
    ingredients: text("ingredients", { mode: "json" }).$type<unknown[]>(),
    startDate: text("start_date").notNull(),
    /** first day no longer covered: startDate + days */
    endDate: text("end_date").notNull(),
    days: integer("days").notNull(),
    packages: integer("packages").notNull(),
    /** 1 while the prescription is signed or completed, 0 once cancelled */
    active: integer("active", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.prescriptionId, t.idx] }), index("prescription_items_supply").on(t.patientId, t.endDate)],
);

/** Idempotency-Key records: one per (caller, key); the stored response is replayed. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    /** in_progress | done */
    state: text("state").notNull(),
    /** random token of the request that claimed the key: tells a concurrent duplicate from the claimer */
    owner: text("owner").notNull(),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    createdAt: text("created_at").notNull(),
  },
  // by age: the cron deletes keys past IDEMPOTENCY_KEY_DAYS (worker/http/idempotency.ts)
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_created").on(t.createdAt)],
);
