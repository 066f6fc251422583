import type { OrderRow } from "./orders.repo";

export type OrderSummary = ReturnType<typeof orderSummary>;

/**
 * What a signed prescription's response says about each order it routed. A returned order
 * says which pharmacy gave it back and why (`<code>` or `<code>: <text>`, e.g. an external
 * pharmacy's answer), so the doctor sees why it came back.
 */
export function orderSummary(o: OrderRow) {
  return {
    id: o.id,
    pharmacyId: o.pharmacyId,
    status: o.status,
    instalment: o.instalment,
    instalments: o.instalments,
    supplyFrom: o.supplyFrom,
    days: o.days,
    releaseOn: o.releaseOn,
    mode: o.mode,
    reference: o.reference,
    returnedBy: o.returnedBy,
    returnReason: o.returnReason,
  };
}
