import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Consortium settings (uncollected expiry days, review-time target, instalment lead days,
 * long-prescription policy switches): one row per key with its JSON value and version;
 * every change is an audit row in the same batch. Absent keys take the national default.
 */
export const consortiumSettings = sqliteTable("consortium_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  version: integer("version").notNull(),
  updatedAt: text("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/**
 * Fixed-window counters for rate limits (the public status lookup): one row per key and
 * window, upserted in the same round trip as the lookup it guards.
 */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: text("window_start").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limits_window").on(t.windowStart)],
);
