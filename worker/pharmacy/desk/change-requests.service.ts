import { commitGuarded } from "../../db/guard";
import type { Entry } from "../../formulary/formulary.schemas";
import { ApiError, type ProblemIssue, StoredProblem } from "../../errors/problem";
import { canonicalJson } from "../../lib/canonical-json";
import { chinaDate } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { findingsProblem, runRules } from "../../rules-context/rule-check";
import { type EntryView, loadRuleContext } from "../../rules-context/rules-context.repo";
import { readSignedContent, type SignedContentSummary } from "../../signing/signed-content";
import { readSignedDraft, type SignedDraft } from "../../signing/signed-draft";
import { prescriptionByOrderQuery, type SignedPrescriptionRow } from "../../signing/signed-prescriptions.repo";
import { verified, verifyPrescription } from "../../signing/verification";
import { closingStatements, proposalStatements } from "../orders/change-request-decisions";
import type { ChangeProposal, ItemChange, ProposedItem } from "../orders/change-request-view";
import { type ChangeRequestRow, changeRequestQuery, changeRequestsOfOrder, orderOfChangeRequestQuery } from "../orders/change-requests.repo";
import { orderQuery, pharmacistQuery, pharmacyQuery } from "../orders/orders.repo";
import { assertLegal, CHANGED_MEANWHILE } from "../orders/transition";
import { authorize, type DeskCtx, loadForWriteWith } from "./desk.access";
import type { ChangeRequestInput, ItemChangeInput } from "./change-requests.schemas";

/*
 * The pharmacist's side of a change request (DOMAIN.md "Change request"): a licensed
 * pharmacist (药师 or above) of the desk pharmacy proposes another product of the same
 * medicine (a 集采 generic, another strength or pack size), the dose or the packages, for an
 * order in review. The proposal is the signed draft with the changes applied, checked by the
 * same rules with the ORIGINAL prescriber's context as of today; a proposal with errors is
 * refused (422 with the findings) so a doctor never receives one. The prescribing doctor then
 * decides (prescriptions/change-requests.service.ts).
 *
 * Proposing costs three round trips: the access read (with the order's prescription), the
 * rule context (its codes come from the signed content and the changes), the write.
 */

/** Two products are the same medicine when their ATC codes agree (or, without ATC, their generic names). */
function sameMedicine(a: Pick<Entry, "atc" | "genericName">, b: Pick<Entry, "atc" | "genericName">): boolean {
  return a.atc && b.atc ? a.atc === b.atc : a.genericName === b.genericName;
}

function unprocessable(detail: string, issues?: ProblemIssue[]): ApiError {
  return new ApiError("unprocessable", detail, issues);
}

function applyChanges(draft: SignedDraft, changes: ItemChangeInput[]): SignedDraft {
  const outOfRange = changes.flatMap((c, i) => (c.index >= draft.items.length ? [{ path: `changes.${i}.index`, message: `the prescription has ${draft.items.length} item(s)` }] : []));
  if (outOfRange.length) throw unprocessable("a change names an item the prescription does not have", outOfRange);
  const byIndex = new Map(changes.map((c) => [c.index, c]));
  const items = draft.items.map((item, idx) => {
    const c = byIndex.get(idx);
    if (!c) return item;
    return { ...item, ...(c.drugCode ? { drugCode: c.drugCode } : {}), ...(c.packages ? { packages: c.packages } : {}), ...(c.dose ? { dose: c.dose } : {}) };
  });
  if (canonicalJson(items) === canonicalJson(draft.items)) throw unprocessable("the changes leave the prescription as it is");
  return { ...draft, items };
}

/** The product facts of an item for the proposal's before/after view. */
function productView(item: SignedDraft["items"][number], drug: Entry | undefined): ProposedItem {
  return {
    drugCode: item.drugCode,
    genericName: drug?.genericName ?? null,
    form: drug?.form ?? null,
    strength: drug?.strength ?? null,
    pack: drug?.pack ?? null,
    dose: item.dose,
    frequency: item.frequency,
    route: item.route ?? null,
    days: item.days,
    packages: item.packages,
    vbp: drug?.vbp ?? null,
  };
}

function diffOf(signed: SignedContentSummary, proposal: SignedDraft, changes: ItemChangeInput[], formulary: Record<string, EntryView>): ItemChange[] {
  return [...changes]
    .sort((a, b) => a.index - b.index)
    .flatMap((c) => {
      const before = signed.items[c.index];
      const after = proposal.items[c.index];
      if (!before || !after) return [];
      return [{ index: c.index, before: { ...before, vbp: formulary[before.drugCode]?.drug.vbp ?? null }, after: productView(after, formulary[after.drugCode]?.drug) }];
    });
}

/** A substitution keeps the medicine: another molecule is the doctor's decision, not a change the pharmacy proposes. */
function assertSameMedicines(original: SignedDraft, changes: ItemChangeInput[], formulary: Record<string, EntryView>): void {
  const issues = changes.flatMap((c, i): ProblemIssue[] => {
    const before = formulary[original.items[c.index]?.drugCode ?? ""]?.drug;
    const after = c.drugCode ? formulary[c.drugCode]?.drug : undefined;
    if (!before || !after || sameMedicine(before, after)) return [];
    return [{ path: `changes.${i}.drugCode`, message: `${after.code}（${after.genericName}）与原处方的${before.genericName}不是同一药品：只能替换为同一药品的集采品种、其他规格或包装` }];
  });
  if (issues.length) throw unprocessable("a substitution must keep the prescribed medicine", issues);
}

/** The signed prescription as the proposal's starting point: signed, verifying, readable. */
async function signedStart(ctx: DeskCtx, rx: SignedPrescriptionRow) {
  if (rx.status !== "signed") throw new ApiError("conflict", `the prescription is ${rx.status}; only a signed prescription can be changed`);
  const draft = readSignedDraft(rx.content);
  const summary = readSignedContent(rx.content);
  if (!draft || !summary || !verified(await verifyPrescription(ctx.signer, rx))) {
    throw unprocessable("the prescription's content hash or signature does not verify; reject it (non_standard.signature) instead");
  }
  return { draft, summary };
}

export async function proposeChange(ctx: DeskCtx, orderId: string, input: ChangeRequestInput): Promise<ChangeRequestRow> {
  const { order, extra: rxRows } = await loadForWriteWith(ctx, orderId, "licensed", prescriptionByOrderQuery(ctx.db, orderId));
  assertLegal(order, "request_change");
  const rx = rxRows[0];
  if (!rx) throw new ApiError("internal-error", `order ${orderId} has no prescription`);
  const { draft: signed, summary } = await signedStart(ctx, rx);
  const proposal = applyChanges(signed, input.changes);

  const date = chinaDate(ctx.now);
  const codes = [...new Set([...signed.items, ...proposal.items].map((i) => i.drugCode))];
  const diagnoses = proposal.diagnoses.map((d) => d.icd10);
  const { stored } = await loadRuleContext(ctx.db, { prescriberId: rx.prescriberId, patientId: rx.patientId, codes, diagnoses, date, replacing: rx.id });
  const { prescriber, patient } = stored;
  if (!prescriber || !patient) throw new ApiError("conflict", "the prescriber or the patient is no longer registered; reject the order instead");
  assertSameMedicines(signed, input.changes, stored.formulary);
  const result = runRules(stored, { prescriber, patient }, { ...proposal, writtenAt: date });
  if (!result.valid) throw new StoredProblem(422, findingsProblem(result.findings, ctx.requestId, "the proposal"));

  const stamp: ChangeProposal = { draft: proposal, diff: diffOf(summary, proposal, input.changes, stored.formulary) };
  const cr: ChangeRequestRow = {
    id: newId("chg", ctx.now),
    orderId: order.id,
    prescriptionId: rx.id,
    pharmacyId: order.pharmacyId,
    institutionId: rx.institutionId,
    prescriberId: rx.prescriberId,
    proposedBy: ctx.actor.sub,
    reason: input.reason,
    proposal: stamp,
    findings: result.findings,
    valid: result.valid,
    status: "open",
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    newPrescriptionId: null,
    createdAt: ctx.now.toISOString(),
    version: 1,
  };
  const { statements } = proposalStatements(ctx, order, cr);
  await commitGuarded(ctx.db, statements, CHANGED_MEANWHILE);
  return cr;
}

/** An order's change requests, for the pharmacy's readers (another pharmacy's order: 404). One round trip. */
export async function listOrderChangeRequests(ctx: DeskCtx, orderId: string): Promise<ChangeRequestRow[]> {
  const [pharmacistRows, orderRows, rows] = await ctx.db.batch([pharmacistQuery(ctx.db, ctx.actor.sub), orderQuery(ctx.db, orderId), changeRequestsOfOrder(ctx.db, orderId)]);
  authorize(ctx, orderId, { pharmacist: pharmacistRows[0], order: orderRows[0] }, "read");
  return rows;
}

/**
 * The pharmacy takes its proposal back (the doctor has not decided yet): the request is
 * withdrawn and the order returns to review, in one guarded batch; racing the doctor's
 * decision, exactly one of them commits.
 */
export async function withdrawChangeRequest(ctx: DeskCtx, id: string, note: string | null): Promise<ChangeRequestRow> {
  const [pharmacistRows, pharmacyRows, orderRows, crRows] = await ctx.db.batch([
    pharmacistQuery(ctx.db, ctx.actor.sub),
    pharmacyQuery(ctx.db, ctx.actor.org),
    orderOfChangeRequestQuery(ctx.db, id),
    changeRequestQuery(ctx.db, id),
  ]);
  const cr = crRows[0];
  if (!cr || (ctx.actor.role === "pharmacist" && cr.pharmacyId !== ctx.actor.org)) throw new ApiError("not-found", `no change request ${id}`);
  const order = authorize(ctx, cr.orderId, { pharmacist: pharmacistRows[0], pharmacy: pharmacyRows[0], order: orderRows[0] }, "licensed");
  if (cr.status !== "open") throw new ApiError("conflict", `the change request is ${cr.status}`);
  const at = ctx.now.toISOString();
  const { statements } = closingStatements(ctx, order, cr, { status: "withdrawn", note, source: "desk" });
  await commitGuarded(ctx.db, statements, "the change request or its order changed meanwhile; reload it");
  return { ...cr, status: "withdrawn", decidedBy: ctx.actor.sub, decidedAt: at, decisionNote: note, version: cr.version + 1 };
}
