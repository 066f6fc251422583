import { ApiError } from "../../errors/problem";
import { chinaDate } from "../../lib/clock";
import { PATIENT_NOTICES, patientNotice } from "../notifications/notifications";
import { insertNotification, type OrderRow } from "../orders/orders.repo";
import { assertLegal, transitionOrder } from "../orders/transition";
import { type DeskCtx, loadForWrite } from "./desk.access";
import { type DispensationRow, insertDispensations } from "./desk.repo";
import type { DispenseInput } from "./desk.schemas";
import { type DispenseProblem, dispenseRound, heldSummary, isPartial, lastUsableDay } from "./supply";

/**
 * 调配: one dispensing round, per item and lot. A 药士 may dispense. An approved order
 * starts round 1; an order awaiting stock starts the next round for what is still to
 * supply. Items left out (or with 0 packages) are held: the patient is told by SMS that part
 * is out of stock, without naming drugs. The lots, the items' dispensed counts, the round
 * number, the notice and the audit row commit with the transition in one batch.
 */
export async function dispenseOrder(ctx: DeskCtx, id: string, input: DispenseInput): Promise<OrderRow> {
  const { order } = await loadForWrite(ctx, id, "write");
  assertLegal(order, "dispense");
  const expired = expiredLots(input, chinaDate(ctx.now));
  if (expired.length) throw new ApiError("unprocessable", "a lot past its expiry cannot be dispensed: take another lot", expired);
  const result = dispenseRound(order.items, input.items);
  if ("problems" in result) throw new ApiError("unprocessable", result.problems[0]?.message ?? "nothing to dispense", result.problems);

  const round = order.dispenseRounds + 1;
  const at = ctx.now.toISOString();
  const lots: DispensationRow[] = input.items.flatMap((line) => {
    const item = order.items[line.index];
    if (!item || line.packages === 0 || !line.lotNo || !line.expiry) return [];
    return [{ orderId: order.id, round, idx: line.index, drugCode: item.drugCode, packages: line.packages, lotNo: line.lotNo, expiry: line.expiry, at, actorId: ctx.actor.sub }];
  });
  const state = { status: "dispensing", dispenseRounds: round } as const;
  const partial = isPartial(result.items, state);
  const notice = partial ? [insertNotification(ctx.db, patientNotice(order, `ntf_${order.id}_partial_dispense_r${round}`, PATIENT_NOTICES.partialDispense, at))] : [];
  return transitionOrder(ctx, order, "dispense", {
    source: "desk",
    note: partial ? `缺货暂缓：${heldSummary(result.items, state)}` : null,
    changes: { items: result.items, dispenseRounds: round },
    also: [insertDispensations(ctx.db, lots), ...notice],
    audit: { round, packages: result.total, lots: lots.map((l) => ({ idx: l.idx, packages: l.packages, lotNo: l.lotNo, expiry: l.expiry })), partial },
  });
}

/** Lines whose lot expired before today (China date); a lot usable through today is fine. */
function expiredLots(input: DispenseInput, today: string): DispenseProblem[] {
  return input.items.flatMap((line, i) =>
    line.packages > 0 && line.expiry && lastUsableDay(line.expiry) < today ? [{ path: `items.${i}.expiry`, message: `lot ${line.lotNo ?? ""} expired (有效期至 ${line.expiry})` }] : [],
  );
}
