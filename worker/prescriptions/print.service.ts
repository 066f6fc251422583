import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { expectRegistered } from "../members/members.repo";
import { notRegistered } from "../members/registration";
import { ageText, chinaDateOf } from "../rules";
import { encodeQrPayload, type QrFields } from "../signing/qr-payload";
import { readSignedContent, type SignedContentSummary } from "../signing/signed-content";
import type { Signer } from "../signing/signer";
import { expectPrescriptionVisible, type PrescriptionWithNames, prescriptionWithNamesQuery } from "./prescriptions.repo";
import type { PrintedPrescription } from "./prescriptions.schemas";

/*
 * The printed prescription (处方笺): what the paper shows, read from the frozen signed
 * content (drugs, doses, diagnoses as signed, never today's formulary) and the records it
 * names (patient, institution, prescriber), plus the compact signed QR payload that lets a
 * pharmacy or the patient check the paper offline. Printing shows a patient's data, so
 * the read is audited: one batch, the guards first (a member doctor; a prescription the
 * caller may see), then the audit row, then the read; the audit row exists exactly when the
 * prescription was shown.
 */

const quantity = (q: { value: number; unit: string } | null) => (q ? `${q.value}${q.unit}` : "");

/** The QR payload's fields: what the paper says, in the short form of signing/qr-payload.ts. */
export function qrFieldsOf(p: Omit<PrintedPrescription, "qr">): QrFields {
  return {
    id: p.id,
    w: p.writtenAt,
    k: p.kind,
    o: p.institution.name,
    d: p.prescriber.name,
    p: [p.patient.name, p.patient.gender === "female" ? "F" : "M", p.patient.age],
    x: p.diagnoses.map((dx) => dx.icd10),
    r: p.items.map((i) => [i.genericName ?? i.drugCode, quantity(i.strength), i.packages, `${quantity(i.dose)} ${i.frequency}`]),
    h: p.contentHash.slice(0, 16),
  };
}

function notFound(id: string): ApiError {
  return new ApiError("not-found", `no prescription ${id}`);
}

/** The printed view of a prescription read with its names; content that cannot be read is the server's fault, never the caller's. */
function toPrinted(found: PrescriptionWithNames, content: SignedContentSummary): Omit<PrintedPrescription, "qr"> {
  const { rx, patient, institution, prescriber } = found;
  if (!patient || !institution || !prescriber) throw new ApiError("internal-error", `prescription ${rx.id} names a record that does not exist`);
  return {
    id: rx.id,
    kind: rx.kind,
    status: rx.status,
    writtenAt: rx.writtenAt,
    institution: { id: rx.institutionId, name: institution.name, level: institution.level },
    patient: { id: rx.patientId, name: patient.name, gender: patient.gender === "female" ? "female" : "male", age: ageText(patient.birthDate, chinaDateOf(rx.writtenAt)) },
    prescriber: { id: rx.prescriberId, name: prescriber.name, title: prescriber.title },
    diagnoses: content.diagnoses,
    items: content.items,
    longTerm: content.longTerm,
    extendedReason: content.extendedReason,
    formularyVersion: rx.formularyVersion,
    contentHash: rx.contentHash,
  };
}

/** GET /prescriptions/{id}/print: one round trip (a second only to tell 403 from 404 after a guard failed). */
export async function printPrescription(ctx: Ctx & { signer: Signer }, id: string): Promise<PrintedPrescription> {
  let found: PrescriptionWithNames | undefined;
  try {
    const [, , , rows] = await ctx.db.batch([
      // doctors and pharmacists alike: registered at the organisation their token names
      expectRegistered(ctx.db, ctx.actor),
      expectPrescriptionVisible(ctx.db, id, ctx.actor),
      auditStatement(ctx, { action: "prescription.print", entityType: "prescription", entityId: id }),
      prescriptionWithNamesQuery(ctx.db, id),
    ]);
    found = rows[0];
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    // which guard failed: registration first, so an unregistered caller learns nothing about ids
    const registered = await ctx.db.batch([expectRegistered(ctx.db, ctx.actor)]).then(
      () => true,
      (e: unknown) => {
        if (isGuardFailure(e)) return false;
        throw e;
      },
    );
    if (!registered) throw notRegistered(ctx.actor);
    throw notFound(id);
  }
  if (!found) throw notFound(id);
  const content = readSignedContent(found.rx.content);
  if (!content) throw new ApiError("internal-error", `the signed content of prescription ${id} cannot be read`);
  const printed = toPrinted(found, content);
  return { ...printed, qr: await encodeQrPayload(qrFieldsOf(printed), ctx.signer) };
}
