import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { commitGuarded, expectChanged, isGuardFailure } from "../db/guard";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "../http/idempotency";
import { ApiError } from "../errors/problem";
import { chinaDate } from "../lib/clock";
import {
  acceptanceStatements,
  type ChangeRequestRow,
  changeRequestQuery,
  closingStatements,
  listChangeRequestsQuery,
  orderOfChangeRequestQuery,
  ordersOfChangeRequestQuery,
  orderSummary,
  readProposal,
  toChangeRequest,
} from "../pharmacy/fulfilment";
import { expectRegistered } from "../members/members.repo";
import { notRegistered } from "../members/registration";
import { findingsProblem } from "../rules-context/rule-check";
import type { AcceptedChange, AcceptInput, ChangeRequest } from "./change-requests.schemas";
import { prescriptionOfChangeRequestQuery, replacePrescriptionIfVersion } from "./prescriptions.repo";
import { Draft } from "./prescriptions.schemas";
import { checkDraft, plannedItems, type RxCtx, type SignOutcome, signChecked, toPrescription } from "./prescriptions.service";

/*
 * The doctor's side of a change request (DOMAIN.md "Change request"). Doctors of the
 * prescription's institution see the pharmacy's proposals (admins see all, a pharmacy its
 * own); only the prescribing doctor decides, because accepting signs a new prescription in
 * their name. Accepting re-validates the proposal against today's formulary and rules and,
 * when it passes, signs it through the same path as POST /prescriptions with `replaces`
 * the old one, marks the old one `replaced`, and moves its open orders over: one guarded
 * batch, so a concurrent withdrawal, decision or order change makes it a 409 with nothing
 * written. Declining sends the order back to the pharmacy's review with the doctor's note.
 */

function visibleTo(actor: Ctx["actor"], cr: ChangeRequestRow): boolean {
  if (actor.role === "admin") return true;
  if (actor.role === "doctor") return cr.institutionId === actor.org;
  return cr.pharmacyId === actor.org;
}

function notFound(id: string): ApiError {
  return new ApiError("not-found", `no change request ${id}`);
}

/** The request as its decider may act on it: visible (else 404), theirs to decide (else 403), still open (else 409). */
function decidable(ctx: Ctx, id: string, cr: ChangeRequestRow | undefined): ChangeRequestRow {
  if (!cr || !visibleTo(ctx.actor, cr)) throw notFound(id);
  if (cr.prescriberId !== ctx.actor.sub) throw new ApiError("forbidden", "only the prescribing doctor decides on a change to the prescription");
  if (cr.status !== "open") throw new ApiError("conflict", `the change request is ${cr.status}`);
  return cr;
}

export async function listChangeRequests(
  ctx: Ctx,
  q: { status?: ChangeRequestRow["status"]; institutionId?: string; after?: { createdAt: string; id: string }; limit: number },
): Promise<ChangeRequestRow[]> {
  if (ctx.actor.role === "doctor" && q.institutionId !== undefined && q.institutionId !== ctx.actor.org) {
    throw new ApiError("forbidden", "a doctor sees only their own institution's change requests");
  }
  const institutionId = ctx.actor.role === "doctor" ? ctx.actor.org : q.institutionId;
  const [, rows] = await registeredBatch(ctx, listChangeRequestsQuery(ctx.db, { institutionId, status: q.status, after: q.after, limit: q.limit + 1 }));
  return rows;
}

export async function getChangeRequest(ctx: Ctx, id: string): Promise<ChangeRequest> {
  const [, [cr]] = await registeredBatch(ctx, changeRequestQuery(ctx.db, id));
  if (!cr || !visibleTo(ctx.actor, cr)) throw notFound(id);
  return toChangeRequest(cr);
}

/** `read` with the caller's registration at the token's organisation (403 otherwise) in one round trip: visibility goes by the token's org. */
function registeredBatch<Q extends Parameters<Ctx["db"]["batch"]>[0][number]>(ctx: Ctx, read: Q) {
  return ctx.db.batch([expectRegistered(ctx.db, ctx.actor), read]).catch((err: unknown) => {
    throw isGuardFailure(err) ? notRegistered(ctx.actor) : err;
  });
}

const RACED = "the change request, its order or the prescription changed meanwhile; reload it";

/** Declined: the request closed and the order back in the pharmacy's review, the note on its timeline. Two round trips. */
export async function declineChangeRequest(ctx: RxCtx, id: string, note: string): Promise<ChangeRequest> {
  const [crRows, orderRows] = await ctx.db.batch([changeRequestQuery(ctx.db, id), orderOfChangeRequestQuery(ctx.db, id)]);
  const cr = decidable(ctx, id, crRows[0]);
  const order = orderRows[0];
  if (!order) throw new ApiError("internal-error", `change request ${id} has no order`);
  const { statements } = closingStatements(ctx, order, cr, { status: "declined", note, source: "doctor" });
  await commitGuarded(ctx.db, statements, RACED);
  return toChangeRequest({ ...cr, status: "declined", decidedBy: ctx.actor.sub, decidedAt: ctx.now.toISOString(), decisionNote: note, version: cr.version + 1 });
}

/**
 * Accepted, with an Idempotency-Key like signing (the key's body is the request id and the
 * input, so one key cannot accept two requests). Four round trips: the key, the request
 * with its prescription and orders, the rule context, the write. Failing rules answer 422
 * with the findings (stored for the key) and change nothing.
 */
export async function acceptChangeRequest(ctx: RxCtx, id: string, key: string, input: AcceptInput): Promise<SignOutcome> {
  const claimed = await claimIdempotencyKey(ctx.db, ctx.actor.sub, key, { changeRequestId: id, ...input }, ctx.now);
  if (claimed.kind === "replay") return { status: claimed.status, body: claimed.body, replayed: true };
  const { claim } = claimed;
  try {
    const [crRows, rxRows, orders] = await ctx.db.batch([changeRequestQuery(ctx.db, id), prescriptionOfChangeRequestQuery(ctx.db, id), ordersOfChangeRequestQuery(ctx.db, id)]);
    const cr = decidable(ctx, id, crRows[0]);
    const old = rxRows[0];
    if (!old) throw new ApiError("internal-error", `change request ${id} has no prescription`);
    if (old.status !== "signed") throw new ApiError("conflict", `the prescription is ${old.status}; decline the change request`);
    // the doctor's own API schema, not only the lenient stored shape: what is signed must be a valid draft
    const draft = Draft.safeParse(readProposal(cr.proposal)?.draft);
    if (!draft.success) throw new ApiError("conflict", "the stored proposal is not a valid prescription draft; decline it");

    const checked = await checkDraft(ctx, draft.data, chinaDate(ctx.now), { routing: false, replacing: old.id });
    if (!checked.result.valid) {
      const body = findingsProblem(checked.result.findings, ctx.requestId, "the proposal");
      await completeIdempotencyKey(ctx.db, claim, 422, body);
      return { status: 422, body, replayed: false };
    }
    const signed = await signChecked(ctx, draft.data, checked, old.id);
    const { row } = signed;
    const at = ctx.now.toISOString();
    const note = input.note ?? null;
    const acceptance = acceptanceStatements(ctx, { changeRequest: cr, orders, newPrescriptionId: row.id, items: plannedItems(draft.data, checked), note });
    const body: AcceptedChange = {
      changeRequest: toChangeRequest({ ...cr, status: "accepted", decidedBy: ctx.actor.sub, decidedAt: at, decisionNote: note, newPrescriptionId: row.id, version: cr.version + 1 }),
      prescription: { ...toPrescription(row), orders: acceptance.moved.map(orderSummary) },
    };
    await commitGuarded(
      ctx.db,
      [
        ...signed.statements,
        replacePrescriptionIfVersion(ctx.db, old, row.id),
        expectChanged(ctx.db),
        ...acceptance.statements,
        auditStatement(ctx, {
          action: "prescription.sign",
          entityType: "prescription",
          entityId: row.id,
          after: { contentHash: row.contentHash, formularyVersion: row.formularyVersion, replaces: old.id, changeRequestId: cr.id, orders: acceptance.moved.map((o) => o.id) },
        }),
        auditStatement(ctx, {
          action: "prescription.replace",
          entityType: "prescription",
          entityId: old.id,
          before: { status: old.status, version: old.version },
          after: { status: "replaced", replacedBy: row.id, version: old.version + 1, changeRequestId: cr.id },
        }),
        completeIdempotencyKey(ctx.db, claim, 201, body),
      ],
      RACED,
    );
    return { status: 201, body, replayed: false };
  } catch (err) {
    await releaseIdempotencyKey(ctx.db, claim);
    throw err;
  }
}
