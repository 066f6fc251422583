import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The current version of every formulary entry. One database serves one consortium
 * (D1's scale-out unit), so no consortium column is needed.
 */
export const formularyEntries = sqliteTable(
  "formulary_entries",
  {
    code: text("code").primaryKey(),
    genericName: text("generic_name").notNull(),
    innName: text("inn_name"),
    pinyin: text("pinyin").notNull(),
    form: text("form").notNull(),
    strengthValue: real("strength_value").notNull(),
    strengthUnit: text("strength_unit").notNull(),
    packSize: real("pack_size").notNull(),
    packUnit: text("pack_unit").notNull(),
    route: text("route").notNull(),
    atc: text("atc"),
    nhsaCode: text("nhsa_code"),
    nemlCategory: text("neml_category"),
    essential: integer("essential", { mode: "boolean" }).notNull(),
    insuranceClass: text("insurance_class"),
    vbp: integer("vbp", { mode: "boolean" }).notNull(),
    specialistOnly: integer("specialist_only", { mode: "boolean" }).notNull(),
    controlClass: text("control_class"),
    antimicrobial: text("antimicrobial"),
    antiTb: integer("anti_tb", { mode: "boolean" }).notNull(),
    storage: text("storage").notNull(),
    longRxEligible: integer("long_rx_eligible", { mode: "boolean" }).notNull(),
    conditions: text("conditions", { mode: "json" }).$type<string[]>().notNull(),
    minLevel: text("min_level").notNull(),
    maxDailyDoseValue: real("max_daily_dose_value"),
    maxDailyDoseUnit: text("max_daily_dose_unit"),
    /**
     * Active ingredients (issue 10), JSON: each with its molecule key, so combination products,
     * patent medicines with western ingredients and salts/enantiomers of one molecule are
     * compared by what they contain. '[]' until an import or edit lists them.
     */
    ingredients: text("ingredients", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
    /** How the form is dosed (issue 10), JSON: concentration of liquids, device contents, label schedule. NULL: a unit-dose form. */
    dosing: text("dosing", { mode: "json" }).$type<unknown>(),
    /** Price in fen (1/100 yuan) so money never passes through floating point in SQL. */
    priceFen: integer("price_fen"),
    freeProgramme: integer("free_programme", { mode: "boolean" }).notNull(),
    status: text("status").notNull(),
    effectiveFrom: text("effective_from").notNull(),
    version: integer("version").notNull(),
    updatedAt: text("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
    /** Derived search tokens (code, pinyin, INN words, CJK uni/bigrams) indexed by formulary_fts. */
    searchTerms: text("search_terms").notNull(),
  },
  (t) => [
    index("formulary_entries_pinyin").on(t.pinyin, t.code),
    index("formulary_entries_generic_name").on(t.genericName),
  ],
);

/** Every version of every entry, append-only: the entry's history and the as-of-date view. */
export const formularyEntryVersions = sqliteTable(
  "formulary_entry_versions",
  {
    code: text("code").notNull(),
    version: integer("version").notNull(),
    formularyVersion: integer("formulary_version").notNull(),
    status: text("status").notNull(),
    effectiveFrom: text("effective_from").notNull(),
    change: text("change").notNull(),
    /**
     * The entry as of this version (API JSON). NULL while this is the current version: the
     * current content lives in formulary_entries, and is copied here when superseded, so a
     * 100k-row import does not write every entry twice.
     */
    snapshot: text("snapshot"),
    changedAt: text("changed_at").notNull(),
    changedBy: text("changed_by").notNull(),
    importId: text("import_id"),
  },
  (t) => [primaryKey({ columns: [t.code, t.version] })],
);

/** The consortium-wide formulary version: one row, bumped by every change. */
export const formularyMeta = sqliteTable("formulary_meta", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const formularyImports = sqliteTable("formulary_imports", {
  id: text("id").primaryKey(),
  at: text("at").notNull(),
  by: text("by").notNull(),
  format: text("format").notNull(),
  formularyVersion: integer("formulary_version").notNull(),
  summary: text("summary", { mode: "json" }).$type<Record<string, number>>().notNull(),
});
