import { ApiError } from "../errors/problem";
import { anyDispensed, type OrderRow } from "../pharmacy/fulfilment";
import type { PrescriptionRow } from "./prescriptions.repo";

/*
 * When a doctor may sign a new prescription in place of an old one (DOMAIN.md: a rejected
 * prescription "opens as a pre-filled draft to fix and sign again, linked to the one it
 * replaces"): the old one came back without the patient getting anything (rejected by the
 * pharmacist, returned by every pharmacy, expired uncollected), or the doctor cancelled it;
 * and nothing replaced it yet. Anything else is still under way at a pharmacy or reached
 * the patient, and a second prescription next to it would be a duplicate. Pure: the draft
 * endpoint says whether a draft may carry `replaces`, signing checks it again, and the
 * signing batch's guards hold it against a concurrent change.
 */

/** The order outcomes that put a prescription back in the doctor's hands. */
const BACK_TO_DOCTOR: readonly OrderRow["status"][] = ["rejected", "returned", "expired"];

export type Replaceability = { ok: true } | { ok: false; reason: string };

function suppliedAnything(orders: OrderRow[]): boolean {
  return anyDispensed(orders) || orders.some((o) => o.items.some((i) => (i.supplied ?? 0) > 0));
}

export function replaceability(rx: Pick<PrescriptionRow, "status" | "replacedBy">, orders: OrderRow[]): Replaceability {
  if (rx.replacedBy) return { ok: false, reason: `it was already replaced by ${rx.replacedBy}` };
  if (rx.status === "cancelled") return { ok: true };
  if (rx.status !== "signed") return { ok: false, reason: `it is ${rx.status}` };
  if (!orders.some((o) => BACK_TO_DOCTOR.includes(o.status))) return { ok: false, reason: "none of its orders was rejected, returned or expired; cancel it instead" };
  if (suppliedAnything(orders)) return { ok: false, reason: "drugs of it were dispensed or supplied" };
  return { ok: true };
}

/**
 * The old prescription a signing with `replaces` may replace, or the problem that refuses
 * it: unknown or another institution's (422, like any unknown reference in a draft), another
 * patient's (422), not replaceable now (409).
 */
export function assertReplaceable(actor: { org: string }, patientId: string, id: string, found: { row: PrescriptionRow; orders: OrderRow[] } | null): PrescriptionRow {
  const refuse = (message: string) => new ApiError("unprocessable", `replaces: ${message}`, [{ path: "replaces", message }]);
  if (!found || found.row.institutionId !== actor.org) throw refuse(`no prescription ${id} of this institution`);
  if (found.row.patientId !== patientId) throw refuse(`prescription ${id} is another patient's`);
  const verdict = replaceability(found.row, found.orders);
  if (!verdict.ok) throw new ApiError("conflict", `prescription ${id} cannot be replaced: ${verdict.reason}`);
  return found.row;
}
