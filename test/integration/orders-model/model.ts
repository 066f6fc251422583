/**
 * The model of the orders a run created: what each order's status, pharmacy, site and
 * items must be after every command, kept by the commands (commands.ts) from the spec
 * (spec.ts) alone. Dates the model cannot know (release days, ready times) it takes from
 * the worker's answers; statuses and quantities it predicts.
 */
import type { FulfilmentMode, OrderStatus } from "./spec";

export const CLOUD = "pharm-cloud";
export const RENHE = "pharm-renhe";
export const SITES = ["site-cloud-shimen", "site-cloud-chengguan"] as const;
export const DAY_MS = 86_400_000;

export interface ModelOrder {
  id: string;
  rxId: string;
  instalment: number;
  mode: FulfilmentMode;
  /** delivery region: 桃源镇 is served by the external pharmacy, 石门乡 by the cloud pharmacy only */
  region: "taoyuan" | "shimen" | null;
  pharmacyId: string;
  status: OrderStatus;
  pickupSiteId: string | null;
  packages: number[];
  supplied: number[];
  dispensed: number[];
  reroutes: number;
  releaseOn: string;
  readyAt: string | null;
  /** wrong pickup codes since the code was issued; 5 voids it */
  attempts: number;
  reissues: number;
}

export interface ModelRx {
  id: string;
  kind: "normal" | "long_term";
  status: "signed" | "cancelled" | "completed" | "replaced";
  /** its amlodipine is already the 集采 product (an accepted change): proposing it again changes nothing */
  vbp: boolean;
}

export interface ModelChangeRequest {
  id: string;
  orderId: string;
  open: boolean;
}

export interface SentCallback {
  body: Record<string, unknown>;
  /** the worker recorded its eventId (a replay must change nothing) */
  applied: boolean;
}

export interface Model {
  /** days the cron's clock is ahead of the real one */
  clockDays: number;
  rxs: ModelRx[];
  orders: ModelOrder[];
  callbacks: SentCallback[];
  changeRequests: ModelChangeRequest[];
}

export function emptyModel(): Model {
  return { clockDays: 0, rxs: [], orders: [], callbacks: [], changeRequests: [] };
}

/** The China date (UTC+8) of an instant, computed here rather than by the worker's clock helper. */
export function chinaDay(at: Date | string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length ? list[n % list.length] : undefined;
}

export function remaining(o: ModelOrder, idx: number): number {
  return (o.packages[idx] ?? 0) - (o.supplied[idx] ?? 0);
}

/** After a hand-over or delivery of the round's packages: complete when nothing remains. */
export function handOver(o: ModelOrder): boolean {
  o.supplied = o.supplied.map((s, i) => s + (o.dispensed[i] ?? 0));
  o.dispensed = o.dispensed.map(() => 0);
  return o.packages.every((_, i) => remaining(o, i) === 0);
}

/** A prescription whose every order reached the patient is completed. */
export function completeIfSupplied(m: Model, rxId: string): void {
  const rx = m.rxs.find((r) => r.id === rxId);
  if (rx?.status !== "signed") return;
  const orders = m.orders.filter((o) => o.rxId === rxId);
  if (orders.every((o) => o.status === "picked_up" || o.status === "delivered")) rx.status = "completed";
}
