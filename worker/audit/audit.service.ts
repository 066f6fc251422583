import type { Ctx } from "../context";
import { ApiError } from "../errors/problem";
import { decodeCursor, pageOf } from "../http/pagination";
import { addDays } from "../lib/clock";
import { chinaDayStart } from "../lib/clock";
import { type AuditFilter, auditEventsQuery, auditStatement } from "./audit.repo";
import { AuditCursor, type AuditEventView, type AuditQuery } from "./audit.schemas";

/*
 * The audit log viewer (admins). Reading the log is itself audited: the page and the row
 * saying who read it with which filters go to D1 in one batch, so a read that returned
 * rows always left its trace. The read's row names filters only (ids, dates), never the
 * rows' contents.
 */

const invalid = (path: string, message: string) => new ApiError("validation-failed", "Invalid query", [{ path: `query.${path}`, message }]);

function filterOf(q: AuditQuery): AuditFilter {
  if (q.entityId !== undefined && q.entityType === undefined) throw invalid("entityId", "give entityType with entityId");
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw invalid("from", `from (${q.from}) is after to (${q.to})`);
  return {
    entityType: q.entityType,
    entityId: q.entityId,
    actorId: q.actorId,
    action: q.action,
    atFrom: q.from === undefined ? undefined : chinaDayStart(q.from),
    atBefore: q.to === undefined ? undefined : chinaDayStart(addDays(q.to, 1)),
    beforeId: q.cursor === undefined ? undefined : decodeCursor(q.cursor, AuditCursor).id,
    limit: q.limit + 1,
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One page of the log, newest first, and the audit row of this read: one round trip. */
export async function listAudit(ctx: Ctx, q: AuditQuery): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const filter = filterOf(q);
  const { limit: _, cursor, ...filters } = q;
  const [rows] = await ctx.db.batch([
    auditEventsQuery(ctx.db, filter),
    auditStatement(ctx, { action: "audit.read", entityType: "audit_log", entityId: "audit_events", after: { ...filters, page: cursor === undefined ? 1 : "next" } }),
  ]);
  const page = pageOf(rows, q.limit, (last) => ({ id: last.id }));
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({
      ...r,
      // admins have no member table: the caller at least knows their own name
      actorName: r.actorName ?? (r.actorId === ctx.actor.sub && ctx.actor.name ? ctx.actor.name : null),
      before: parseJson(r.before),
      after: parseJson(r.after),
    })),
  };
}
