import type { Ctx } from "../context";
import { ApiError } from "../errors/problem";
import { decodeCursor, pageOf } from "../http/pagination";
import { membershipQuery } from "../members/members.repo";
import { type PrescriptionListFilter, prescriptionListQueries } from "./prescriptions.repo";
import { PrescriptionListCursor, type PrescriptionListItem, type PrescriptionListQuery } from "./prescriptions.schemas";

/*
 * "My prescriptions": the doctor's (or the institution's) prescriptions, newest first, each
 * with its drugs and every order with where it stands, so a signed prescription never drops
 * out of sight. ONE round trip whatever the page size: the page, its supply lines and its
 * orders are three statements of one batch, with the caller's membership check beside them.
 */

type Query = ReturnType<typeof PrescriptionListQuery.parse>;

function filterFor(ctx: Ctx, q: Query): PrescriptionListFilter {
  const after = q.cursor ? decodeCursor(q.cursor, PrescriptionListCursor) : undefined;
  const common = { statuses: q.status, patientId: q.patientId, after: after && { createdAt: after.c, id: after.i }, limit: q.limit + 1 };
  if (ctx.actor.role === "admin") return common;
  return q.scope === "institution" ? { ...common, institutionId: ctx.actor.org } : { ...common, prescriberId: ctx.actor.sub };
}

/** Rows grouped by their prescription, in the order read (ES2024's Map.groupBy is not in this target's lib). */
function byPrescription<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

export async function listPrescriptions(ctx: Ctx, q: Query): Promise<{ items: PrescriptionListItem[]; nextCursor: string | null }> {
  const filter = filterFor(ctx, q);
  const [membership, rows, items, orders] = await ctx.db.batch([membershipQuery(ctx.db, ctx.actor), ...prescriptionListQueries(ctx.db, filter)]);
  if (ctx.actor.role === "doctor" && membership.length === 0) {
    throw new ApiError("forbidden", `${ctx.actor.sub} is not a registered practitioner of institution ${ctx.actor.org}`);
  }
  const page = pageOf(rows, q.limit, (r) => ({ c: r.rx.createdAt, i: r.rx.id }));
  const itemsOf = byPrescription(items, (i) => i.prescriptionId);
  const ordersOf = byPrescription(orders, (o) => o.order.prescriptionId);
  return {
    items: page.items.map(({ rx, patientName }) => ({
      id: rx.id,
      patientId: rx.patientId,
      patientName: patientName ?? "",
      kind: rx.kind,
      writtenAt: rx.writtenAt,
      days: rx.days,
      status: rx.status,
      replaces: rx.replaces,
      replacedBy: rx.replacedBy,
      items: (itemsOf.get(rx.id) ?? []).map((i) => ({ drugCode: i.drugCode, genericName: i.genericName, packages: i.packages })),
      orders: (ordersOf.get(rx.id) ?? []).map(({ order: o, pharmacyName }) => ({
        id: o.id,
        pharmacyId: o.pharmacyId,
        pharmacyName: pharmacyName ?? o.pharmacyId,
        status: o.status,
        instalment: o.instalment,
        instalments: o.instalments,
        releaseOn: o.releaseOn,
        supplyFrom: o.supplyFrom,
        mode: o.mode,
        reference: o.reference,
        rejectReason: o.rejectReason,
        rejectNote: o.rejectNote,
      })),
    })),
    nextCursor: page.nextCursor,
  };
}
