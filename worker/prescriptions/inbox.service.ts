import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { expectMember, membershipQuery } from "../members/members.repo";
import { DOCTOR_TEMPLATES } from "../pharmacy/fulfilment";
import { expectOwnNotice, type InboxRow, type InboxState, inboxQueries, markNoticeDone, noticeQuery } from "./inbox.repo";
import { INBOX_KINDS, type Inbox, type InboxItem, type InboxKind } from "./inbox.schemas";

/*
 * The doctor's inbox: what the pharmacies sent back to the prescriber (a rejection with its
 * 处方点评 reason, a return, an uncollected expiry, a change request), read where the
 * pharmacy side wrote it (notifications, channel `inbox`). Each notice says whether it still
 * needs the doctor; marking it done only tidies the inbox and changes nothing else. Only the
 * addressee sees or marks a notice: anyone else's is a 404.
 */

/** The kind of a notice, from its template (the pharmacy's DOCTOR_TEMPLATES, one per order status). */
const KIND_BY_TEMPLATE = new Map<string, InboxKind>(
  INBOX_KINDS.flatMap((kind) => {
    const template = DOCTOR_TEMPLATES[kind];
    return template ? [[template, kind] as const] : [];
  }),
);

function notAMember(ctx: Ctx): ApiError {
  return new ApiError("forbidden", `${ctx.actor.sub} is not a registered practitioner of institution ${ctx.actor.org}`);
}

/** Still in the doctor's hands: the prescription neither replaced nor cancelled (rejected, returned, expired), the change request still open. */
function isActionable(kind: InboxKind, row: InboxRow): boolean {
  if (kind === "change_requested") return row.changeRequestStatus === "open";
  return row.replacedBy === null && row.prescriptionStatus !== null && row.prescriptionStatus !== "cancelled" && row.prescriptionStatus !== "replaced";
}

/** The reason a notice gives, by kind, from the params the pharmacy side wrote (labels first, codes as a fallback). */
function reasonOf(kind: InboxKind, params: Record<string, string>): string | undefined {
  if (kind === "rejected") return params.reasonLabel ?? params.reasonCode;
  if (kind === "returned") return params.returnReason ?? params.reasonCode;
  if (kind === "expired") return params.days ? `未在 ${params.days} 天内取药` : undefined;
  return undefined;
}

function toItem(row: InboxRow): InboxItem | null {
  const { notice } = row;
  const kind = KIND_BY_TEMPLATE.get(notice.template);
  if (!kind) return null;
  const reason = reasonOf(kind, notice.params);
  return {
    id: notice.id,
    kind,
    template: notice.template,
    orderId: notice.orderId,
    prescriptionId: row.prescriptionId,
    patientId: notice.patientId,
    patientName: row.patientName ?? "",
    createdAt: notice.createdAt,
    doneAt: notice.doneAt,
    ...(reason ? { reason } : {}),
    ...(notice.params.note ? { note: notice.params.note } : {}),
    ...(notice.params.changeRequestId ? { changeRequestId: notice.params.changeRequestId } : {}),
    actionable: isActionable(kind, row),
  };
}

/** The caller's notices, newest first, and how many are open: ONE round trip. */
export async function listInbox(ctx: Ctx, q: { state: InboxState; limit: number }): Promise<Inbox> {
  const [membership, rows, counts] = await ctx.db.batch([membershipQuery(ctx.db, ctx.actor), ...inboxQueries(ctx.db, ctx.actor.sub, q.state, q.limit)]);
  if (membership.length === 0) throw notAMember(ctx);
  return { items: rows.flatMap((r) => toItem(r) ?? []), open: counts[0]?.open ?? 0 };
}

/**
 * Marks a notice done, once (again: the same answer, the first doneAt kept). ONE round trip:
 * the guards (a member; the caller's own notice), the update, its audit row, the read back.
 */
export async function markInboxDone(ctx: Ctx, id: string): Promise<InboxItem> {
  const notFound = new ApiError("not-found", `no inbox notice ${id}`);
  let row: InboxRow | undefined;
  try {
    const [, , , , rows] = await ctx.db.batch([
      expectMember(ctx.db, ctx.actor),
      expectOwnNotice(ctx.db, ctx.actor.sub, id),
      markNoticeDone(ctx.db, ctx.actor.sub, id, ctx.now.toISOString()),
      auditStatement(ctx, { action: "inbox.done", entityType: "notification", entityId: id }),
      noticeQuery(ctx.db, ctx.actor.sub, id),
    ]);
    row = rows[0];
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    if ((await membershipQuery(ctx.db, ctx.actor)).length === 0) throw notAMember(ctx);
    throw notFound;
  }
  const item = row && toItem(row);
  if (!item) throw notFound;
  return item;
}
