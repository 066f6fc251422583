import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Drug-drug interactions (admin-editable); each side is an ATC prefix or a generic name. */
export const interactions = sqliteTable("interactions", {
  id: text("id").primaryKey(),
  aAtcPrefix: text("a_atc_prefix"),
  aName: text("a_name"),
  bAtcPrefix: text("b_atc_prefix"),
  bName: text("b_name"),
  /** major | moderate */
  severity: text("severity").notNull(),
  note: text("note").notNull(),
  source: text("source").notNull(),
  updatedAt: text("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/**
 * One row: a token that changes (a random one) in the same statement as any change to the
 * reference data every rule check reads: interactions, specialty_conditions and
 * consortium_settings (triggers, migration 0014). The rule context keeps those tables per
 * isolate under the token they were read at and asks D1 for their rows only when the
 * database's token is not one it holds (worker/rules-context/reference-cache.ts).
 */
export const referenceMeta = sqliteTable("reference_meta", {
  id: integer("id").primaryKey(),
  token: text("token").notNull(),
});
