import { newId } from "../lib/ids";
import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { commitGuarded, expectChanged, isGuardFailure } from "../db/guard";
import { expectRegistered } from "../members/members.repo";
import { notRegistered } from "../members/registration";
import { answerOfTakenKey, idempotencyKeyQuery, isKeyTaken, rememberAnswer, requestHashOf, storedAnswer, type UnclaimedKey } from "../http/idempotency";
import { enforce, type RateRule } from "../http/rate-limit";
import { ApiError } from "../errors/problem";
import { canonicalJson } from "../lib/canonical-json";
import { addDays, chinaDate } from "../lib/clock";
import { chinaDateOf, validateDraft } from "../rules";
import { drugIngredients } from "../rules/ingredients";
import type { RuleContext, RuleDrug, ValidationResult } from "../rules/types";
import { findingsProblem } from "../rules-context/rule-check";
import type { EntryView } from "../rules-context/rules-context.repo";
import { markNoticesOfPrescriptionDone } from "./inbox.repo";
import { assertReplaceable } from "./replacement";
import {
  cancelPrescriptionIfVersion,
  deactivateSupply,
  expectSupplyAsSeen,
  replacePrescriptionIfVersion,
  insertPrescription,
  insertPrescriptionItems,
  type DraftContext,
  loadDraftContext,
  type PrescriptionRow,
  prescriptionQuery,
  type SupplySeen,
  unseenSupplyQuery,
} from "./prescriptions.repo";
import type { Draft, Prescription } from "./prescriptions.schemas";
import type { OutboxMessage } from "../env";
import {
  allPharmacies,
  anyDispensed,
  type ChangeRequestRow,
  changeRequestsOfPrescription,
  declineOpenChangeRequests,
  dispatch,
  externalPharmacyIds,
  type OrderRow,
  type RoutablePharmacy,
  type RoutableSite,
  orderSummary,
  ordersOfPrescription,
  planCancellation,
  planFulfilment,
  toChangeRequest,
} from "../pharmacy/fulfilment";
import { sha256Hex } from "../lib/encoding";
import type { Signer } from "../signing/signer";
import { verifyPrescription } from "../signing/verification";

export interface RxCtx extends Ctx {
  signer: Signer;
  queue: Queue<OutboxMessage>;
  /** days before a supply runs out that the next instalment is released */
  leadDays: number;
}

/** The date a draft is checked for: its writtenAt (a date, or a date-time read in China time), else today. */
export function prescriptionDate(writtenAt: string | undefined, now: Date): string {
  // an offset-less date-time is China time (the engine reads it the same way), never the runtime's UTC
  return writtenAt ? chinaDateOf(writtenAt) : chinaDate(now);
}

export interface Checked {
  result: ValidationResult;
  context: RuleContext & { formulary: Record<string, EntryView> };
  formularyVersion: number;
  routing: { pharmacies: RoutablePharmacy[]; sites: RoutableSite[] };
  /** the prescription named by `replacing`, with its orders (read in the same round trip) */
  replaced: { row: PrescriptionRow; orders: OrderRow[] } | null;
}

/** The draft's context query, for the calling doctor as the prescriber. */
function draftQuery(ctx: Ctx, draft: Draft, date: string, opts: { routing: boolean; replacing?: string }) {
  const codes = [...new Set(draft.items.map((i) => i.drugCode))];
  const diagnoses = draft.diagnoses.map((d) => d.icd10);
  const routing = opts.routing ? { pickupSiteId: draft.fulfilment.pickupSiteId } : null;
  return { prescriberId: ctx.actor.sub, patientId: draft.patientId, codes, diagnoses, date, replacing: opts.replacing, routing };
}

/**
 * Loads the context in one round trip and runs every rule, for the calling doctor as the
 * prescriber. `replacing`: the signed prescription the draft is to replace (an accepted
 * change request), whose supply does not count against its own replacement.
 */
export async function checkDraft(ctx: Ctx, draft: Draft, date: string, opts: { routing: boolean; replacing?: string }): Promise<Checked> {
  const { stored } = await loadDraftContext(ctx.db, draftQuery(ctx, draft, date, opts));
  return checkLoaded(ctx, draft, date, stored);
}

/** Runs every rule on a loaded context: 403 for a caller not practising at the token's institution, 404 for an unknown patient. */
function checkLoaded(ctx: Ctx, draft: Draft, date: string, stored: DraftContext): Checked {
  if (!stored.prescriber || stored.prescriber.institutionId !== ctx.actor.org) {
    throw new ApiError("forbidden", `${ctx.actor.sub} is not a registered practitioner of institution ${ctx.actor.org}`);
  }
  if (!stored.patient) throw new ApiError("not-found", `no patient ${draft.patientId}`);
  const { formularyVersion, pharmacies, sites, replaced, ...rest } = stored;
  const context = { ...rest, prescriber: stored.prescriber, patient: stored.patient, draft: { ...draft, writtenAt: date } };
  return { result: validateDraft(context), context, formularyVersion, routing: { pharmacies, sites }, replaced };
}

/** A draft that replaces another is checked as signing will check it: without the old prescription's supply. */
export async function validatePrescription(ctx: Ctx, draft: Draft) {
  const { result, formularyVersion } = await checkDraft(ctx, draft, prescriptionDate(draft.writtenAt, ctx.now), { routing: false, replacing: draft.replaces });
  return { ...result, formularyVersion };
}

/**
 * Signatures per doctor: a clinic day rarely has two a minute; a stolen token or a runaway
 * script signing in a loop is stopped at 30 a minute (429 with Retry-After). Every attempt
 * counts (replays and refusals too), in signing's read round trip.
 */
export const SIGNING_PER_USER: RateRule = { name: "prescriptions.sign.user", limit: 30, windowSeconds: 60, binding: "RATE_LIMIT_SIGN_USER" };

/** The 409 of a signing that lost a race: another prescription for the patient was signed between its checks and its write. */
export const SUPPLY_CHANGED = "the patient's supply changed while this prescription was being signed (another prescription was signed for them); validate it again";

export interface SignOutcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** The frozen content: what was checked and signed, in canonical JSON (with the prescription it replaces, when it does). */
function frozenContent(id: string, draft: Draft, checked: Checked, writtenAt: string, replaces: string | null) {
  const { context } = checked;
  return {
    id,
    kind: draft.kind,
    writtenAt,
    patientId: draft.patientId,
    prescriber: {
      id: context.prescriber.id,
      title: context.prescriber.title,
      institutionId: context.prescriber.institutionId,
      institutionLevel: context.prescriber.institutionLevel,
    },
    diagnoses: draft.diagnoses,
    items: draft.items.map((item) => {
      const view = context.formulary[item.drugCode];
      const drug = view?.drug;
      return {
        ...item,
        drug: drug ? { code: drug.code, version: view.version, genericName: drug.genericName, form: drug.form, strength: drug.strength, pack: drug.pack, atc: drug.atc } : null,
      };
    }),
    extendedReason: draft.extendedReason ?? null,
    longTerm: draft.longTerm ?? null,
    fulfilment: draft.fulfilment,
    formularyVersion: checked.formularyVersion,
    warnings: checked.result.findings,
    ...(replaces ? { replaces } : {}),
  };
}

/** The draft's items as the pharmacy plans them: names and storage from the formulary. */
export function plannedItems(draft: Draft, checked: Checked) {
  return draft.items.map((item) => {
    const drug = checked.context.formulary[item.drugCode]?.drug;
    return { drugCode: item.drugCode, genericName: drug?.genericName ?? item.drugCode, packages: item.packages, storage: drug?.storage ?? "normal" };
  });
}

/**
 * Signs a draft that passed the rules, the one signing path of new and replacing
 * prescriptions: the content frozen as canonical JSON, its SHA-256, the Ed25519 signature,
 * the formulary version; the row and its supply lines as statements for the caller's batch,
 * behind a guard that the patient's active supply is still what the rules read.
 */
export async function signChecked(ctx: RxCtx, draft: Draft, checked: Checked, replaces: string | null) {
  const id = newId("rx", ctx.now);
  const writtenAt = ctx.now.toISOString();
  const date = chinaDate(ctx.now);
  const content = frozenContent(id, draft, checked, writtenAt, replaces);
  const contentText = canonicalJson(content);
  const contentHash = await sha256Hex(contentText);
  const signature = await ctx.signer.sign(contentHash);
  const row: PrescriptionRow = {
    id,
    patientId: draft.patientId,
    prescriberId: ctx.actor.sub,
    institutionId: ctx.actor.org,
    kind: draft.kind,
    writtenAt,
    days: checked.result.totals.days,
    longTermFirstIssue: draft.longTerm?.firstIssue ?? null,
    status: "signed",
    content: contentText,
    contentHash,
    signature,
    signatureKeyId: ctx.signer.keyId,
    formularyVersion: checked.formularyVersion,
    findings: checked.result.findings,
    createdAt: writtenAt,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    replaces,
    replacedBy: null,
    version: 1,
  };
  const supply = plannedItems(draft, checked).map((item, idx) => ({
    prescriptionId: id,
    idx,
    patientId: draft.patientId,
    institutionId: ctx.actor.org,
    drugCode: item.drugCode,
    genericName: item.genericName,
    atc: checked.context.formulary[item.drugCode]?.drug.atc ?? null,
    // the route as prescribed, else the entry's: a topical supply line raises no systemic interaction later
    route: draft.items[idx]?.route ?? checked.context.formulary[item.drugCode]?.drug.route ?? null,
    // the entry's ingredients (or the one it is, when it lists none), so a duplicate is caught at any member institution later
    ingredients: ingredientsAtSigning(checked.context.formulary[item.drugCode]?.drug),
    startDate: date,
    endDate: addDays(date, draft.items[idx]?.days ?? 0),
    days: draft.items[idx]?.days ?? 0,
    packages: item.packages,
    active: true,
  }));
  // first: the patient's active supply must still be what the rules read (expectSupplyAsSeen)
  const seen: SupplySeen = { patientId: draft.patientId, date, prescriptionIds: checked.context.activeSupply.map((s) => s.prescriptionId), replacing: replaces ?? undefined };
  const statements = [expectSupplyAsSeen(ctx.db, seen), insertPrescription(ctx.db, row), ...insertPrescriptionItems(ctx.db, supply)] as const;
  return { row, content, statements, seen };
}

function ingredientsAtSigning(drug: RuleDrug | undefined) {
  return drug ? drugIngredients(drug) : null;
}

/**
 * Signs a draft in TWO round trips. The first reads, in one batch, everything signing
 * decides on: the Idempotency-Key's stored answer, the doctor's signature count
 * (SIGNING_PER_USER, counted there), the rule context, the pharmacies and sites routing
 * chooses from and, with `replaces`, the old prescription with its orders. A used key
 * answers what it stored (another body: 422); a valid draft is then stored frozen
 * (canonical JSON, SHA-256, Ed25519 signature, formulary version) with its supply lines,
 * orders, their events and outbox rows, the audit row and the key with its answer in ONE
 * guarded batch, the second round trip; a draft with rule errors stores only its 422 under
 * the key. Nothing is claimed in advance: of two requests with one key at the same instant,
 * the second's insert of the key rolls its whole batch back and it answers what the first
 * stored (one more read, on that rare path only).
 * With `replaces`, the same batch closes the old prescription (replacement.ts): it points
 * at the new one (`replaced` if it was signed), its open orders are cancelled, its supply
 * released, its open change requests declined and its inbox notices done; guarded, so of
 * two signings replacing one prescription exactly one commits (the other: 409). The
 * patient's active supply is guarded too (signChecked): of two signings for one patient at
 * the same instant, at any institutions, the later write is a 409 (SUPPLY_CHANGED).
 */
export async function signPrescription(ctx: RxCtx, key: string, draft: Draft): Promise<SignOutcome> {
  const date = chinaDate(ctx.now);
  const [counting, requestHash] = await Promise.all([ctx.limiter?.count([{ rule: SIGNING_PER_USER, key: ctx.actor.sub }], ctx.now), requestHashOf(draft)]);
  const unclaimed: UnclaimedKey = { scope: ctx.actor.sub, key, requestHash, now: ctx.now };
  const {
    stored,
    extra: [keyRows, ...counted],
  } = await loadDraftContext(
    ctx.db,
    draftQuery(ctx, draft, date, { routing: true, replacing: draft.replaces }),
    idempotencyKeyQuery(ctx.db, unclaimed.scope, key),
    ...(counting?.statements ?? []),
  );
  // as the claim did: the limit first, then the key's answer
  if (counting) enforce(counting.settle(counted));
  const used = keyRows[0];
  if (used) return { ...storedAnswer(used, requestHash), replayed: true };
  if (draft.writtenAt && prescriptionDate(draft.writtenAt, ctx.now) !== date) {
    throw new ApiError("unprocessable", `a prescription is signed on the day it is written (${date}); validate older drafts again today`);
  }
  const checked = checkLoaded(ctx, draft, date, stored);
  const old = draft.replaces === undefined ? null : assertReplaceable(ctx.actor, draft.patientId, draft.replaces, checked.replaced);
  if (!checked.result.valid) {
    const body = findingsProblem(checked.result.findings, ctx.requestId);
    try {
      await ctx.db.batch([rememberAnswer(ctx.db, unclaimed, 422, body)]);
    } catch (err) {
      if (!isKeyTaken(err)) throw err;
      return { ...(await answerOfTakenKey(ctx.db, unclaimed)), replayed: true };
    }
    return { status: 422, body, replayed: false };
  }
  const signed = await signChecked(ctx, draft, checked, old?.id ?? null);
  const { row, content } = signed;
  const plan = planFulfilment(
    {
      prescriptionId: row.id,
      patientId: draft.patientId,
      institutionId: ctx.actor.org,
      startDate: date,
      days: row.days,
      instalments: draft.kind === "long_term" ? (draft.fulfilment.instalments ?? 1) : 1,
      leadDays: ctx.leadDays,
      fulfilment: draft.fulfilment,
      items: plannedItems(draft, checked),
      actor: { id: ctx.actor.sub, role: ctx.actor.role },
      now: ctx.now,
      signed: { contentHash: row.contentHash, signature: row.signature, signatureKeyId: row.signatureKeyId, content },
    },
    checked.routing,
  );
  if (!plan.ok) {
    throw new ApiError("no-eligible-pharmacy", "no contracted pharmacy can fulfil this prescription as requested", plan.reasons.map((message) => ({ path: "fulfilment", message })));
  }
  const body = { ...toPrescription(row), orders: plan.orders.map(orderSummary) };
  const replacement = old && checked.replaced ? replacementStatements(ctx, old, checked.replaced.orders, row.id, checked.routing.pharmacies) : null;
  try {
    await commitGuarded(
      ctx.db,
      [
        // first: a key taken meanwhile rolls back everything after it (isKeyTaken), before any guard can
        rememberAnswer(ctx.db, unclaimed, 201, body),
        ...signed.statements,
        ...plan.statements(ctx.db),
        ...(replacement?.statements ?? []),
        auditStatement(ctx, {
          action: "prescription.sign",
          entityType: "prescription",
          entityId: row.id,
          after: { contentHash: row.contentHash, formularyVersion: row.formularyVersion, pharmacyId: plan.pharmacyId, orders: plan.orders.map((o) => o.id), ...(old ? { replaces: old.id } : {}) },
        }),
      ],
      "the prescription it replaces changed meanwhile (replaced by another, or its orders moved on); reload it",
    );
  } catch (err) {
    if (isKeyTaken(err)) return { ...(await answerOfTakenKey(ctx.db, unclaimed)), replayed: true };
    throw await explainSignConflict(ctx, err, signed.seen, old);
  }
  await dispatch(ctx.queue, [...plan.outboxIds, ...(replacement?.outboxIds ?? [])]);
  return { status: 201, body, replayed: false };
}

/**
 * Two guards can refuse the sign batch: the replaced prescription's (it moved on) and the
 * supply's (a prescription for the patient was signed since the rules read). One more read,
 * on this rare path only, tells them apart; a moved-on replaced prescription explains both.
 */
async function explainSignConflict(ctx: RxCtx, err: unknown, seen: SupplySeen, old: PrescriptionRow | null): Promise<unknown> {
  if (!(err instanceof ApiError) || err.code !== "conflict") return err;
  const [replacedNow, unseen] = await ctx.db.batch([prescriptionQuery(ctx.db, old?.id ?? ""), unseenSupplyQuery(ctx.db, seen)]);
  const replacedMoved = old !== null && replacedNow[0]?.version !== old.version;
  return !replacedMoved && unseen.length > 0 ? new ApiError("conflict", SUPPLY_CHANGED) : err;
}

/**
 * What replacing `old` adds to the new prescription's signing batch: the guarded link (a
 * second replacement of it changes nothing and rolls back), its still-open orders
 * cancelled through the pharmacy's entry point (with the cancellation messages to an
 * external pharmacy), its supply lines released, open change requests declined, its inbox
 * notices done, and the audit row of the replacement.
 */
function replacementStatements(ctx: RxCtx, old: PrescriptionRow, orders: OrderRow[], newId: string, pharmacies: RoutablePharmacy[]) {
  const at = ctx.now.toISOString();
  const reason = `被新处方 ${newId} 替代`;
  const cancellation = planCancellation(ctx.db, { prescriptionId: old.id, orders, externalPharmacyIds: externalPharmacyIds(pharmacies), reason, actor: ctx.actor, at });
  const statements = [
    replacePrescriptionIfVersion(ctx.db, old, newId),
    expectChanged(ctx.db),
    ...cancellation.statements,
    deactivateSupply(ctx.db, old.id),
    declineOpenChangeRequests(ctx.db, old.id, { decidedBy: ctx.actor.sub, decidedAt: at, decisionNote: reason }),
    markNoticesOfPrescriptionDone(ctx.db, old.id, at),
    auditStatement(ctx, {
      action: "prescription.replace",
      entityType: "prescription",
      entityId: old.id,
      before: { status: old.status, version: old.version },
      after: { status: old.status === "signed" ? "replaced" : old.status, replacedBy: newId, version: old.version + 1, cancelledOrders: cancellation.cancelled },
    }),
  ];
  return { statements, outboxIds: cancellation.outboxIds };
}

export function toPrescription(row: PrescriptionRow): Prescription {
  return {
    id: row.id,
    status: row.status,
    patientId: row.patientId,
    prescriberId: row.prescriberId,
    institutionId: row.institutionId,
    kind: row.kind,
    writtenAt: row.writtenAt,
    days: row.days,
    formularyVersion: row.formularyVersion,
    contentHash: row.contentHash,
    signature: row.signature,
    signatureKeyId: row.signatureKeyId,
    content: JSON.parse(row.content) as Record<string, unknown>,
    findings: row.findings as Prescription["findings"],
    createdAt: row.createdAt,
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
    replaces: row.replaces,
    replacedBy: row.replacedBy,
  };
}

interface Visible {
  row: PrescriptionRow;
  orders: OrderRow[];
  changeRequests: ChangeRequestRow[];
}

/**
 * Who may see a prescription (DOMAIN.md "Who sees what"): admins, doctors of the institution
 * that wrote it, and pharmacists of a pharmacy it was routed to or that proposed a change to
 * it (the token's org is the pharmacy). Others get 404. The prescription, its orders and its
 * change requests are read in one round trip; a pharmacist is shown only their own
 * pharmacy's orders and requests. A caller not registered at the organisation in their
 * token gets 403 whatever the id.
 */
async function loadVisibleWithOrders(ctx: Ctx, id: string): Promise<Visible> {
  // the caller's registration at the token's org rides in the same round trip (the batch's only guard: its failure is a 403)
  const [, rows, allOrders, allRequests] = await ctx.db
    .batch([expectRegistered(ctx.db, ctx.actor), prescriptionQuery(ctx.db, id), ordersOfPrescription(ctx.db, id), changeRequestsOfPrescription(ctx.db, id)])
    .catch((err: unknown) => {
      throw isGuardFailure(err) ? notRegistered(ctx.actor) : err;
    });
  const row = rows[0];
  const { role, org } = ctx.actor;
  const orders = role === "pharmacist" ? allOrders.filter((o) => o.pharmacyId === org) : allOrders;
  const changeRequests = role === "pharmacist" ? allRequests.filter((r) => r.pharmacyId === org) : allRequests;
  const visible = row && (role === "admin" || (role === "doctor" && row.institutionId === org) || (role === "pharmacist" && (orders.length > 0 || changeRequests.length > 0)));
  if (!row || !visible) throw new ApiError("not-found", `no prescription ${id}`);
  return { row, orders, changeRequests };
}

/**
 * With its orders, so the doctor sees where each instalment stands and why one was
 * rejected, and its change requests: the pharmacy's proposals to it, and the accepted one
 * that created it when it `replaces` another.
 */
export async function getPrescription(ctx: RxCtx, id: string): Promise<Prescription> {
  const { row, orders, changeRequests } = await loadVisibleWithOrders(ctx, id);
  return {
    ...toPrescription(row),
    verification: await verifyPrescription(ctx.signer, row),
    orders: orders.map((o) => ({ ...orderSummary(o), rejectReason: o.rejectReason, rejectNote: o.rejectNote })),
    changeRequests: changeRequests.map(toChangeRequest),
  };
}

/**
 * Cancels a signed prescription while nothing has been dispensed, in ONE batch: the
 * versioned status change, a guard that no order reached dispensing meanwhile, every open
 * order cancelled with its timeline event (and a cancellation message for an external
 * pharmacy), the supply lines released, the audit row.
 */
export async function cancelPrescription(ctx: RxCtx, id: string, reason: string): Promise<Prescription> {
  // the visibility read already holds every order (only doctors cancel, so none is filtered out)
  const { row, orders } = await loadVisibleWithOrders(ctx, id);
  if (row.prescriberId !== ctx.actor.sub) throw new ApiError("forbidden", "only the prescribing doctor may cancel a prescription");
  if (row.status !== "signed") throw new ApiError("conflict", `the prescription is ${row.status}`);
  if (anyDispensed(orders)) throw new ApiError("conflict", "drugs of this prescription have been dispensed; it can no longer be cancelled");
  const at = ctx.now.toISOString();
  const external = externalPharmacyIds(orders.length ? await allPharmacies(ctx.db) : []);
  const cancellation = planCancellation(ctx.db, { prescriptionId: id, orders, externalPharmacyIds: external, reason, actor: ctx.actor, at });
  await commitGuarded(
    ctx.db,
    [
      cancelPrescriptionIfVersion(ctx.db, id, row.version, at, ctx.actor.sub, reason),
      expectChanged(ctx.db),
      ...cancellation.statements,
      deactivateSupply(ctx.db, id),
      // a pending proposal dies with the prescription: nothing is left to decide
      declineOpenChangeRequests(ctx.db, id, { decidedBy: ctx.actor.sub, decidedAt: at, decisionNote: reason }),
      auditStatement(ctx, {
        action: "prescription.cancel",
        entityType: "prescription",
        entityId: id,
        before: { status: row.status },
        after: { status: "cancelled", reason, cancelledOrders: cancellation.cancelled },
      }),
    ],
    "the prescription or its orders changed meanwhile; reload it",
  );
  await dispatch(ctx.queue, cancellation.outboxIds);
  return getPrescription(ctx, id);
}
