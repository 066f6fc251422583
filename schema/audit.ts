import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Append-only: rows are inserted in the same D1 batch as the change they describe. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
    actorRole: text("actor_role").notNull(),
    actorOrg: text("actor_org").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before"),
    after: text("after"),
    requestId: text("request_id"),
  },
  (t) => [
    index("audit_events_entity").on(t.entityType, t.entityId, t.id),
    // the admins' audit log viewer filters by actor and by date
    index("audit_events_actor").on(t.actorId, t.id),
    index("audit_events_at").on(t.at),
  ],
);
