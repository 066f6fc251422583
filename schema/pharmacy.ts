import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { INTEGRATIONS, PHARMACIST_TITLES } from "./enums";
import { institutions } from "./members";

/** A cloud pharmacy contracted by the consortium. */
export const pharmacies = sqliteTable("pharmacies", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** desk: staff work in YaoLian; external: its own system over signed HTTPS. */
  integration: text("integration", { enum: INTEGRATIONS }).notNull(),
  endpointUrl: text("endpoint_url"),
  /** HMAC-SHA256 secret shared with an external pharmacy (outgoing orders and its callbacks) */
  sharedSecret: text("shared_secret"),
  /** Region prefixes the pharmacy delivers to, e.g. "青溪县" covers "青溪县/城关镇". */
  deliveryRegions: text("delivery_regions", { mode: "json" }).$type<string[]>().notNull(),
  capabilities: text("capabilities", { mode: "json" }).$type<string[]>().notNull(),
  hours: text("hours"),
  createdAt: text("created_at").notNull(),
});

/** A pickup site (service window), usually at a member institution. */
export const pharmacySites = sqliteTable(
  "pharmacy_sites",
  {
    id: text("id").primaryKey(),
    pharmacyId: text("pharmacy_id")
      .notNull()
      .references(() => pharmacies.id),
    institutionId: text("institution_id").references(() => institutions.id),
    name: text("name").notNull(),
    address: text("address").notNull(),
  },
  (t) => [index("pharmacy_sites_pharmacy").on(t.pharmacyId)],
);

export const pharmacists = sqliteTable(
  "pharmacists",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    pharmacyId: text("pharmacy_id")
      .notNull()
      .references(() => pharmacies.id),
    /** 药士 | 药师 | 主管药师 | 副主任药师 | 主任药师, in API form */
    title: text("title", { enum: PHARMACIST_TITLES }).notNull(),
    updatedAt: text("updated_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("pharmacists_pharmacy").on(t.pharmacyId)],
);
