import type { OrderItem } from "../../../schema/orders";
import type { OrderStatus } from "../orders/order-state";

/*
 * What an order's items have reached, pure. Each item keeps `packages` (what this order
 * supplies in all), `supplied` (handed over or delivered so far) and `dispensed` (taken off
 * the shelf in the current round, not handed over yet). Whatever remains after a round's
 * dispensing is held: out of stock until a restock round dispenses it. A hand-over moves
 * the dispensed packages into supplied; when something is still held the order waits in
 * awaiting_stock (and active supply counts only what was supplied: recomputeSupply).
 */

/** One line of a dispensing round: packages of one item taken from one lot. */
export interface DispenseLine {
  /** the item's index in the order's items */
  index: number;
  packages: number;
  lotNo?: string;
  /** YYYY-MM or YYYY-MM-DD as printed on the pack */
  expiry?: string;
}

export interface ItemProgress {
  packages: number;
  supplied: number;
  dispensed: number;
  /** out of stock in the current round: neither supplied nor dispensed */
  held: number;
}

/** Statuses in which a round has been dispensed and whatever was not dispensed is held. */
const ROUND_STATUSES: readonly OrderStatus[] = ["dispensing", "ready_for_pickup", "shipped", "awaiting_stock"];

/**
 * Where an order stands: its status, and its dispensing rounds at the desk. An order an
 * external pharmacy dispenses has none (its callbacks report statuses, not lots), so
 * nothing of it counts as held.
 */
export interface RoundState {
  status: OrderStatus;
  dispenseRounds: number;
}

/** Packages of an item not yet supplied. */
export function remaining(item: OrderItem): number {
  return item.packages - (item.supplied ?? 0);
}

export function itemProgress(item: OrderItem, order: RoundState): ItemProgress {
  const supplied = item.supplied ?? 0;
  const dispensed = item.dispensed ?? 0;
  const held = order.dispenseRounds > 0 && ROUND_STATUSES.includes(order.status) ? item.packages - supplied - dispensed : 0;
  return { packages: item.packages, supplied, dispensed, held };
}

/** Something of the order is held (out of stock) in its current round. */
export function isPartial(items: OrderItem[], order: RoundState): boolean {
  return items.some((item) => itemProgress(item, order).held > 0);
}

export interface DispenseProblem {
  path: string;
  message: string;
}

/**
 * The items after a dispensing round of `lines`, or the problems that make the round
 * impossible (an unknown item, more packages than remain, nothing at all). Several lines
 * may name one item (several lots); their sum must fit what remains. An item without a
 * line, or with 0 packages, is held.
 */
export function dispenseRound(items: OrderItem[], lines: DispenseLine[]): { items: OrderItem[]; total: number } | { problems: DispenseProblem[] } {
  const problems: DispenseProblem[] = [];
  const perItem = new Map<number, number>();
  lines.forEach((line, i) => {
    const item = items[line.index];
    if (!item) problems.push({ path: `items.${i}.index`, message: `the order has no item ${line.index} (it has ${items.length})` });
    else perItem.set(line.index, (perItem.get(line.index) ?? 0) + line.packages);
  });
  for (const [index, packages] of perItem) {
    const item = items[index];
    if (item && packages > remaining(item)) {
      problems.push({ path: `items.${lines.findIndex((l) => l.index === index)}.packages`, message: `${packages} package(s) of item ${index} dispensed, only ${remaining(item)} remain to supply` });
    }
  }
  const total = [...perItem.values()].reduce((s, n) => s + n, 0);
  if (problems.length === 0 && total === 0) {
    problems.push({ path: "items", message: "nothing to dispense: at least one package is needed (wait for stock, or cancel the order)" });
  }
  if (problems.length) return { problems };
  return { items: items.map((item, index) => ({ ...item, dispensed: perItem.get(index) ?? 0 })), total };
}

/**
 * The items once the dispensed packages reached the patient, and whether the order is then
 * supplied in full (else the rest waits for stock).
 */
export function handOverRound(items: OrderItem[]): { items: OrderItem[]; complete: boolean } {
  const next = items.map((item) => ({ ...item, supplied: (item.supplied ?? 0) + (item.dispensed ?? 0), dispensed: 0 }));
  return { items: next, complete: next.every((item) => remaining(item) === 0) };
}

/**
 * The last day a pack is usable. 药品说明书和标签管理规定 art. 23: a date printed to the
 * month ("有效期至2027年05月") is usable through that month's last day.
 */
export function lastUsableDay(expiry: string): string {
  if (expiry.length === 10) return expiry;
  const [year, month] = expiry.split("-").map(Number);
  const last = new Date(Date.UTC(year ?? 0, month ?? 0, 0));
  return last.toISOString().slice(0, 10);
}

/** A real calendar date in YYYY-MM-DD or month in YYYY-MM (no 2026-02-30, no month 13). */
export function isValidExpiry(expiry: string): boolean {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(expiry);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && year >= 2000;
}

/**
 * Tells apart the notices of a restock round from the first round's (a restocked order is
 * ready, shipped or waiting for stock again): empty in round 1, `r<n>` after.
 */
export function roundKey(dispenseRounds: number): string {
  return dispenseRounds > 1 ? `r${dispenseRounds}` : "";
}

/** What a round holds back, for the timeline (staff only): "二甲双胍 ×5、…". */
export function heldSummary(items: OrderItem[], order: RoundState): string {
  return items
    .map((item) => ({ name: item.genericName, held: itemProgress(item, order).held }))
    .filter((i) => i.held > 0)
    .map((i) => `${i.name} ×${i.held}`)
    .join("、");
}
