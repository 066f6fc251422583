import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { addDays, chinaDate } from "../lib/clock";
import { expectMember, expectPatientReadable, membershipQuery } from "../members/members.repo";
import { ordersOfPrescription } from "../pharmacy/fulfilment";
import { validateDraft } from "../rules";
import { readSignedDraft, type SignedDraft } from "../signing/signed-draft";
import { expectPrescriptionVisible, lastLongPrescriptionQuery, type PrescriptionWithNames, prescriptionWithNamesQuery } from "./prescriptions.repo";
import { type BasedOn, Draft, type Redraft } from "./prescriptions.schemas";
import { checkDraft } from "./prescriptions.service";
import { replaceability } from "./replacement";

/*
 * Drafts that start from a signed prescription, for the doctor to check, edit and sign
 * with POST /prescriptions (their own Idempotency-Key; nothing is signed here):
 * - the renewal (续方) of a patient's last long prescription, from any member institution,
 *   as a long prescription for today;
 * - the draft of one of the institution's own prescriptions, which `replaces` it when it
 *   came back without supply or was cancelled (replacement.ts).
 * Both are checked against today's formulary version and rules, as signing will check them
 * (prescriptions.service checkDraft: the one rule context read and rule run). Two round
 * trips: the audited read (guards, audit row, the prescription in one batch), then the
 * rule context.
 */

const RENEWAL_RULE_FOR_REASSESSMENT = "ltrx-reassessment-due";

function notAMember(ctx: Ctx): ApiError {
  return new ApiError("forbidden", `${ctx.actor.sub} is not a registered practitioner of institution ${ctx.actor.org}`);
}

/** After a guard rolled the read back: a non-member learns nothing about ids (403 first), anyone else gets the 404. */
async function refusal(ctx: Ctx, notFound: ApiError): Promise<ApiError> {
  if (ctx.actor.role === "doctor" && (await membershipQuery(ctx.db, ctx.actor)).length === 0) return notAMember(ctx);
  return notFound;
}

function basedOn(ctx: Ctx, found: PrescriptionWithNames): BasedOn {
  const { rx } = found;
  const visible = ctx.actor.role === "admin" || rx.institutionId === ctx.actor.org;
  return {
    prescriptionId: visible ? rx.id : null,
    writtenAt: rx.writtenAt,
    institutionId: rx.institutionId,
    institutionName: found.institution?.name ?? rx.institutionId,
    prescriberName: found.prescriber?.name ?? "",
    days: rx.days,
    endDate: addDays(chinaDate(new Date(rx.writtenAt)), rx.days),
  };
}

/** The draft as the doctor's API takes it: what was signed may predate today's schema (a route, a limit), then it is a new prescription to write. */
function asDraft(candidate: SignedDraft & { replaces?: string }, id: string): Draft {
  const parsed = Draft.safeParse(candidate);
  if (!parsed.success) {
    throw new ApiError("unprocessable", `prescription ${id} cannot be drafted again as it was signed; write a new prescription`, parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  return parsed.data;
}

function signedDraftOf(found: PrescriptionWithNames): SignedDraft {
  const draft = readSignedDraft(found.rx.content);
  if (!draft) throw new ApiError("unprocessable", `the signed content of prescription ${found.rx.id} cannot be read; write a new prescription`);
  return draft;
}

/**
 * GET /patients/{id}/renewal: the patient's most recent signed or completed long
 * prescription (with ?icd10=, the most recent one for that condition: a patient may have
 * long prescriptions for several conditions) as a long prescription for today: same diagnoses, items and fulfilment; a
 * first issue when the rules say re-assessment is due (an event since the last one), the
 * assessment and the patient's confirmation left for the doctor.
 */
export async function renewalDraft(ctx: Ctx, patientId: string, icd10?: string): Promise<Redraft> {
  let found: PrescriptionWithNames | undefined;
  try {
    const [, , rows] = await ctx.db.batch([
      expectPatientReadable(ctx.db, patientId, ctx.actor),
      auditStatement(ctx, { action: "patient.renewal.read", entityType: "patient", entityId: patientId }),
      lastLongPrescriptionQuery(ctx.db, patientId, icd10),
    ]);
    found = rows[0];
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    throw await refusal(ctx, new ApiError("not-found", `no patient ${patientId}`));
  }
  if (!found) {
    const which = icd10 === undefined ? "" : ` for ${icd10}`;
    throw new ApiError("not-found", `patient ${patientId} has no signed or completed long prescription${which} to renew`);
  }
  const signed = signedDraftOf(found);
  const renewal = asDraft(
    {
      patientId,
      kind: "long_term",
      diagnoses: signed.diagnoses,
      items: signed.items,
      longTerm: { firstIssue: false, assessment: "", patientConfirmed: false },
      fulfilment: signed.fulfilment,
    },
    found.rx.id,
  );
  const date = chinaDate(ctx.now);
  const checked = await checkDraft(ctx, renewal, date, { routing: false });
  let draft = renewal;
  let result = checked.result;
  // the rules say whether the renewal must be written as a first issue; ask them again (no read) with it marked so
  if (result.findings.some((f) => f.ruleId === RENEWAL_RULE_FOR_REASSESSMENT)) {
    draft = { ...renewal, longTerm: { firstIssue: true, assessment: "", patientConfirmed: false } };
    result = validateDraft({ ...checked.context, draft: { ...draft, writtenAt: date } });
  }
  return { basedOn: basedOn(ctx, found), draft, validation: { ...result, formularyVersion: checked.formularyVersion } };
}

/**
 * GET /prescriptions/{id}/draft: one of the institution's prescriptions as a draft for
 * today, with `replaces` when signing it may replace the old one.
 */
export async function prescriptionDraft(ctx: Ctx, id: string): Promise<Redraft> {
  const notFound = new ApiError("not-found", `no prescription ${id}`);
  let found: PrescriptionWithNames | undefined;
  let orders: Awaited<ReturnType<typeof ordersOfPrescription>> = [];
  try {
    const [, , , rows, orderRows] = await ctx.db.batch([
      expectMember(ctx.db, ctx.actor),
      expectPrescriptionVisible(ctx.db, id, ctx.actor),
      auditStatement(ctx, { action: "prescription.draft.read", entityType: "prescription", entityId: id }),
      prescriptionWithNamesQuery(ctx.db, id),
      ordersOfPrescription(ctx.db, id),
    ]);
    found = rows[0];
    orders = orderRows;
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    throw await refusal(ctx, notFound);
  }
  if (!found) throw notFound;
  const replaces = replaceability(found.rx, orders).ok ? id : undefined;
  const draft = asDraft({ ...signedDraftOf(found), ...(replaces ? { replaces } : {}) }, id);
  const checked = await checkDraft(ctx, draft, chinaDate(ctx.now), { routing: false, replacing: replaces });
  return { basedOn: basedOn(ctx, found), draft, validation: { ...checked.result, formularyVersion: checked.formularyVersion } };
}
