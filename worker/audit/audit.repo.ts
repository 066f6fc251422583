import { and, desc, eq } from "drizzle-orm";
import { auditEvents } from "../../schema";
import type { Ctx } from "../context";

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * The audit row for a change, to be put in the same D1 batch as the change itself, so the
 * trail can neither miss a committed change nor record one that rolled back.
 */
export function auditStatement(ctx: Ctx, rec: AuditRecord) {
  return ctx.db.insert(auditEvents).values({
    at: ctx.now.toISOString(),
    actorId: ctx.actor.sub,
    actorRole: ctx.actor.role,
    actorOrg: ctx.actor.org,
    action: rec.action,
    entityType: rec.entityType,
    entityId: rec.entityId,
    before: rec.before === undefined ? null : JSON.stringify(rec.before),
    after: rec.after === undefined ? null : JSON.stringify(rec.after),
    requestId: ctx.requestId,
  });
}

export function listAuditEvents(ctx: Pick<Ctx, "db">, entityType: string, entityId: string, limit = 100) {
  return ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}
