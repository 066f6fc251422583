import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * 处方点评 (医院处方点评管理规范（试行）2010): each month a random sample of every member
 * institution's signed prescriptions is drawn, and a reviewer judges each one rational or
 * irrational (不规范 / 用药不适宜 / 超常) against the standard items. One sample per
 * institution and month; the draw is reproducible from its seed.
 */
export const reviewSamples = sqliteTable(
  "review_samples",
  {
    id: text("id").primaryKey(),
    /** China month of the sampled prescriptions' signing, 'YYYY-MM' */
    month: text("month").notNull(),
    institutionId: text("institution_id").notNull(),
    /** sample size asked for (the consortium setting at the time of the draw) */
    size: integer("size").notNull(),
    /** prescriptions signed at the institution in that month, the population drawn from */
    population: integer("population").notNull(),
    seed: text("seed").notNull(),
    status: text("status", { enum: ["open", "closed"] }).notNull(),
    drawnAt: text("drawn_at").notNull(),
    drawnBy: text("drawn_by").notNull(),
    closedAt: text("closed_at"),
    closedBy: text("closed_by"),
    version: integer("version").notNull(),
  },
  (t) => [uniqueIndex("review_samples_month_institution").on(t.month, t.institutionId)],
);

/**
 * One sampled prescription and its review result. `outcome` is null until reviewed;
 * `problems` are the standard item codes found (e.g. the 不规范 items), and the outcome is
 * the gravest category among them ('rational' when none).
 */
export const reviewItems = sqliteTable(
  "review_items",
  {
    sampleId: text("sample_id").notNull(),
    prescriptionId: text("prescription_id").notNull(),
    month: text("month").notNull(),
    institutionId: text("institution_id").notNull(),
    prescriberId: text("prescriber_id").notNull(),
    outcome: text("outcome", { enum: ["rational", "non_standard", "inappropriate", "abnormal"] }),
    problems: text("problems", { mode: "json" }).$type<string[]>().notNull(),
    note: text("note"),
    reviewerId: text("reviewer_id"),
    reviewedAt: text("reviewed_at"),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sampleId, t.prescriptionId] }),
    uniqueIndex("review_items_prescription").on(t.prescriptionId),
    index("review_items_institution_month").on(t.institutionId, t.month),
    index("review_items_prescriber_month").on(t.prescriberId, t.month),
  ],
);
