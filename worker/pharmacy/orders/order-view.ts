import type { OrderRow } from "./orders.repo";

export type OrderSummary = ReturnType<typeof orderSummary>;

/** What a signed prescription's response says about each order it routed. */
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
  };
}
