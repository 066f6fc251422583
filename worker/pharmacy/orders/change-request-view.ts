import { z } from "@hono/zod-openapi";
import { CHANGE_REQUEST_STATUSES } from "../../../schema/enums";
import { FindingSchema } from "../../signing/findings.schema";
import { SignedContentSummary } from "../../signing/signed-content";
import { SignedDraft } from "../../signing/signed-draft";
import type { ChangeRequestRow } from "./change-requests.repo";

/*
 * A change request as both sides see it: the pharmacy that proposed it (desk) and the
 * doctors of the prescription's institution who decide on it. The stored proposal is read
 * back leniently, the way signed content is: the stored text is the truth.
 */

/** One item as the proposal shows it: the product (strength, pack, 集采 flag) and how it is taken. */
export const ProposedItem = SignedContentSummary.shape.items.element
  .extend({ vbp: z.boolean().nullable().openapi({ description: "集采 (volume-based procurement) product; null when unknown" }) })
  .openapi("ProposedItem");
export type ProposedItem = z.infer<typeof ProposedItem>;

export const ItemChange = z.object({ index: z.number().int(), before: ProposedItem, after: ProposedItem }).openapi("ItemChange");
export type ItemChange = z.infer<typeof ItemChange>;

/** What is stored as change_requests.proposal: the whole changed draft and, per changed item, before and after. */
export const ChangeProposal = z
  .object({
    draft: SignedDraft.openapi({ description: "the signed draft with the changes applied: what the doctor signs on acceptance" }),
    diff: z.array(ItemChange),
  })
  .openapi("ChangeProposal");
export type ChangeProposal = z.infer<typeof ChangeProposal>;

export const ChangeRequestStatus = z.enum(CHANGE_REQUEST_STATUSES).openapi("ChangeRequestStatus", {
  description: "open: the doctor decides; accepted: a new prescription replaced the old; declined: by the doctor; withdrawn: by the pharmacy",
});

export const ChangeRequest = z
  .object({
    id: z.string(),
    orderId: z.string(),
    prescriptionId: z.string().openapi({ description: "the prescription the change is proposed to" }),
    pharmacyId: z.string(),
    institutionId: z.string(),
    prescriberId: z.string().openapi({ description: "who decides: the prescribing doctor" }),
    proposedBy: z.string(),
    reason: z.string(),
    status: ChangeRequestStatus,
    proposal: ChangeProposal.nullable().openapi({ description: "null only if the stored proposal cannot be read" }),
    findings: z.array(FindingSchema).openapi({ description: "the rules engine's findings on the proposal (warnings only: a proposal with errors is never sent)" }),
    valid: z.boolean(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    newPrescriptionId: z.string().nullable().openapi({ description: "the prescription signed on acceptance; it `replaces` prescriptionId" }),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .openapi("ChangeRequest");
export type ChangeRequest = z.infer<typeof ChangeRequest>;

const StoredFindings = z.array(FindingSchema);

export function readProposal(stored: unknown): ChangeProposal | null {
  const parsed = ChangeProposal.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export function toChangeRequest(row: ChangeRequestRow): ChangeRequest {
  const findings = StoredFindings.safeParse(row.findings);
  return {
    id: row.id,
    orderId: row.orderId,
    prescriptionId: row.prescriptionId,
    pharmacyId: row.pharmacyId,
    institutionId: row.institutionId,
    prescriberId: row.prescriberId,
    proposedBy: row.proposedBy,
    reason: row.reason,
    status: row.status,
    proposal: readProposal(row.proposal),
    findings: findings.success ? findings.data : [],
    valid: row.valid,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    decisionNote: row.decisionNote,
    newPrescriptionId: row.newPrescriptionId,
    createdAt: row.createdAt,
    version: row.version,
  };
}
