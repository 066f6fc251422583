import { sqliteTable, text } from "drizzle-orm/sqlite-core";

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
