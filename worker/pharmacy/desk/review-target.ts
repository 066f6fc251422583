import type { Db } from "../../db";
import { settingQuery } from "../../settings/settings.repo";
import { readSettings, type StoredSetting } from "../../settings/settings.schemas";
import type { OrderRow } from "../orders/orders.repo";

/*
 * The review-time target (处方审核 should not keep a patient waiting): the consortium
 * setting `reviewTargetMinutes`, counted from the moment an order last entered
 * pending_review. It is shown, never enforced: nothing approves an order when it passes.
 */

/** The setting's row, to put in the batch a desk read makes anyway. */
export function reviewTargetQuery(db: Db) {
  return settingQuery(db, "reviewTargetMinutes");
}

/** The target in minutes from the setting's rows (the national default when unset). */
export function reviewTargetOf(rows: readonly StoredSetting[]): number {
  return readSettings(rows).reviewTargetMinutes;
}

export interface ReviewDue {
  reviewDueAt: string | null;
  overdue: boolean;
}

/** When a pending order's review is due, and whether that is past; nothing for other statuses. */
export function reviewDue(order: Pick<OrderRow, "status" | "pendingSince">, targetMinutes: number, now: Date): ReviewDue {
  if (order.status !== "pending_review" || !order.pendingSince) return { reviewDueAt: null, overdue: false };
  const due = new Date(Date.parse(order.pendingSince) + targetMinutes * 60_000);
  return { reviewDueAt: due.toISOString(), overdue: now.getTime() > due.getTime() };
}
