import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { auditEvents, pharmacists, practitioners } from "../../schema";
import type { Ctx } from "../context";
import type { Db } from "../db/index";
import { insertRows } from "../db/compiled";

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
  return insertRows(ctx.db, auditEvents, [{
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
  }]);
}

export function listAuditEvents(ctx: Pick<Ctx, "db">, entityType: string, entityId: string, limit = 100) {
  return ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

/** What the audit log viewer filters on; the service turns dates into UTC instants. */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  /** an exact action, or a prefix when it ends in "." */
  action?: string;
  /** inclusive, as stored (ISO UTC) */
  atFrom?: string;
  /** exclusive, as stored */
  atBefore?: string;
  /** keyset: only ids below this one */
  beforeId?: number;
  limit: number;
}

/**
 * One page of audit rows, newest first, with the actor's name where a member table knows
 * it. A query builder, so the service batches it with the audit row of the read itself.
 * The indexes of migration 0010 serve it: (entity_type, entity_id, id) and (actor_id, id)
 * walk ids downwards with the equality filters, (at) bounds a date-only filter. The name is
 * one coalesced column because D1 batches map rows by column name (two `name`s collide).
 */
export function auditEventsQuery(db: Db, f: AuditFilter) {
  const where: (SQL | undefined)[] = [
    f.entityType === undefined ? undefined : eq(auditEvents.entityType, f.entityType),
    f.entityId === undefined ? undefined : eq(auditEvents.entityId, f.entityId),
    f.actorId === undefined ? undefined : eq(auditEvents.actorId, f.actorId),
    f.action === undefined
      ? undefined
      : f.action.endsWith(".")
        ? sql`substr(${auditEvents.action}, 1, ${f.action.length}) = ${f.action}`
        : eq(auditEvents.action, f.action),
    f.atFrom === undefined ? undefined : gte(auditEvents.at, f.atFrom),
    f.atBefore === undefined ? undefined : lt(auditEvents.at, f.atBefore),
    f.beforeId === undefined ? undefined : lt(auditEvents.id, f.beforeId),
  ];
  return db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      actorId: auditEvents.actorId,
      actorRole: auditEvents.actorRole,
      actorOrg: auditEvents.actorOrg,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      before: auditEvents.before,
      after: auditEvents.after,
      requestId: auditEvents.requestId,
      actorName: sql<string | null>`coalesce(${practitioners.name}, ${pharmacists.name})`.as("actor_name"),
    })
    .from(auditEvents)
    .leftJoin(practitioners, eq(practitioners.id, auditEvents.actorId))
    .leftJoin(pharmacists, eq(pharmacists.id, auditEvents.actorId))
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(f.limit);
}
