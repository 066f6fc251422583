import { ApiError } from "../../errors/problem";
import { prescriptionByOrderQuery } from "../../signing/signed-prescriptions.repo";
import { verifyPrescription } from "../../signing/verification";
import type { OrderRow } from "../orders/orders.repo";
import { assertLegal, transitionOrder } from "../orders/transition";
import { type DeskCtx, loadForWriteWith } from "./desk.access";
import { REVIEW_REASONS } from "./desk.labels";
import type { ReviewInput } from "./desk.schemas";

/**
 * 处方审核: approve, or reject with a 处方点评 reason that goes back to the doctor (their
 * inbox names the reason's label) while the patient learns only its category. An approval
 * also checks that the prescription still verifies: a pharmacy must not dispense content
 * that changed after signing. The prescription is read with the order: two round trips.
 */
export async function reviewOrder(ctx: DeskCtx, id: string, input: ReviewInput): Promise<OrderRow> {
  const { order, extra: rxRows } = await loadForWriteWith(ctx, id, "licensed", prescriptionByOrderQuery(ctx.db, id));
  if (input.decision === "approve") {
    assertLegal(order, "approve");
    const rx = rxRows[0];
    const check = rx ? await verifyPrescription(ctx.signer, rx) : null;
    if (!check?.contentHashValid || !check.signatureValid) {
      throw new ApiError("unprocessable", "the prescription's content hash or signature does not verify; reject it (non_standard.signature) instead");
    }
    return transitionOrder(ctx, order, "approve", { source: "desk", note: input.note ?? null });
  }
  assertLegal(order, "reject");
  const reasonCode = input.reasonCode;
  if (!reasonCode) throw new ApiError("validation-failed", "a rejection needs a 处方点评 reason code", [{ path: "reasonCode", message: "required to reject" }]);
  return transitionOrder(ctx, order, "reject", {
    source: "desk",
    note: input.note ? `${reasonCode}: ${input.note}` : reasonCode,
    changes: { rejectReason: reasonCode, rejectNote: input.note ?? null },
    doctorNotice: { reasonCode, reasonLabel: REVIEW_REASONS[reasonCode], ...(input.note ? { note: input.note } : {}) },
    audit: { reasonCode },
  });
}
