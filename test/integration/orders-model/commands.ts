/**
 * The commands of the orders model (fast-check `fc.commands`): each predicts from the model
 * what the real worker must answer and what must change, sends the request through the
 * worker's fetch handler (or runs the cron), then checks after every command that the model
 * and D1 agree on every order of the run and that the invariants hold (snapshot.ts). A
 * refused command must answer problem+json with the predicted 4xx and change nothing; no
 * command may ever answer 5xx.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { expect } from "vitest";
import { signBody } from "../../../worker/lib/hmac";
import { runScheduled } from "../../../worker/pharmacy/scheduled";
import type { Draft } from "../../../worker/prescriptions/prescriptions.schemas";
import { AMLODIPINE, METFORMIN } from "../../builders/prescriptions";
import { type ApiResult, api, tokenFor } from "../../support/api";
import { freshPatient, pickupCodeFromSms, shimenDoctor } from "../desk.fixtures";
import { CLOUD, chinaDay, completeIfSupplied, DAY_MS, handOver, type Model, type ModelOrder, type ModelRx, pick, plusDays, RENHE, remaining, SITES } from "./model";
import { invariantViolations, observable, readSnapshot, type Snapshot } from "./snapshot";
import { CANCELLABLE, DISPENSED, OPEN, type OrderStatus, RETURNABLE } from "./spec";

export interface Real {
  /** the external pharmacy's shared secret (callbacks are signed with it) */
  secret: string;
  /** a 集采 amlodipine the change requests propose */
  vbp: string;
}

type Cmd = fc.AsyncCommand<Model, Real>;

/** What the runs exercised: answers per command (`review 200`, `dispense 422`…) and the statuses orders reached. */
export const coverage = new Map<string, number>();
function count(key: string): void {
  coverage.set(key, (coverage.get(key) ?? 0) + 1);
}

/** What a command must get: a success (and how the model moves), or a refusal with this status. */
type Outcome = { ok: number; apply: (body: Record<string, unknown>) => void | Promise<void> } | { refused: number | number[] };

const licensed = (n: number) => tokenFor("pharmacist", n % 2 ? "ph-cloud-2" : "ph-cloud-1", CLOUD);
const assistant = () => tokenFor("pharmacist", "ph-cloud-3", CLOUD);

function ordersOf(m: Model): string[] {
  return m.orders.map((o) => o.id);
}

function snapshotOf(m: Model): Promise<Snapshot> {
  return readSnapshot(
    ordersOf(m),
    m.rxs.map((r) => r.id),
  );
}

/** The model and D1 agree on every order and prescription of the run. */
function compare(m: Model, s: Snapshot): void {
  for (const o of m.orders) {
    const row = s.orders.get(o.id);
    expect(row, `order ${o.id} exists`).toBeDefined();
    if (!row) continue;
    const desk = row.dispenseRounds > 0;
    expect(
      { status: row.status, pharmacyId: row.pharmacyId, rx: row.prescriptionId, site: row.pickupSiteId, reroutes: row.reroutes },
      `order ${o.id} (instalment ${o.instalment}, ${o.mode})`,
    ).toEqual({ status: o.status, pharmacyId: o.pharmacyId, rx: o.rxId, site: o.pickupSiteId, reroutes: o.reroutes });
    if (desk) {
      expect({ supplied: row.items.map((i) => i.supplied ?? 0), dispensed: row.items.map((i) => i.dispensed ?? 0) }, `items of ${o.id}`).toEqual({
        supplied: o.supplied,
        dispensed: o.dispensed,
      });
    }
  }
  for (const rx of m.rxs) expect(s.prescriptions.get(rx.id)?.status, `prescription ${rx.id}`).toBe(rx.status);
}

async function checkAll(m: Model): Promise<Snapshot> {
  const s = await snapshotOf(m);
  for (const o of m.orders) count(`reached ${o.status}`);
  compare(m, s);
  if (m.changeRequests.length) {
    const rows = await env.DB.prepare("SELECT id, status FROM change_requests WHERE id IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(m.changeRequests.map((c) => c.id)))
      .all<{ id: string; status: string }>();
    const open = Object.fromEntries(rows.results.map((r) => [r.id, r.status === "open"]));
    expect(open, "change requests still open").toEqual(Object.fromEntries(m.changeRequests.map((c) => [c.id, c.open])));
  }
  expect(invariantViolations(s)).toEqual([]);
  return s;
}

/** Sends, checks the answer against the outcome, moves the model, checks everything. */
async function perform(m: Model, what: string, outcome: Outcome, send: () => Promise<ApiResult>): Promise<void> {
  // only a refusal is compared with the state before it (a pickup-code check may always be refused by its rate limit)
  const before = "refused" in outcome || what.startsWith("handover") ? await snapshotOf(m) : null;
  const res = await send();
  const body = (typeof res.body === "object" && res.body !== null ? res.body : {}) as Record<string, unknown>;
  const said = `${what} → ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`;
  expect(res.status, said).toBeLessThan(500);
  count(`${what.split("(")[0]} ${res.status}`);
  // a rate limit may refuse any call of the desk's pickup-code checks: a refusal like any other
  const refusedAnyway = res.status === 429 && what.startsWith("handover");
  if ("ok" in outcome && !refusedAnyway) {
    expect(res.status, said).toBe(outcome.ok);
    await outcome.apply(body);
  } else {
    const allowed = "refused" in outcome ? [outcome.refused].flat() : [429];
    expect(allowed, said).toContain(res.status);
    expect(res.headers.get("content-type") ?? "", said).toContain("application/problem+json");
    expect(typeof body.code, said).toBe("string");
    const after = await snapshotOf(m);
    expect(before && observable(after), `${said}: a refused command changed something`).toBe(before && observable(before));
  }
  await checkAll(m);
}

/** Chooses the order: one the action suits when asked to (most of the time), else any. */
function target(m: Model, cmd: Aim, suits: (o: ModelOrder) => boolean): ModelOrder | undefined {
  if (cmd.fixed) return m.orders.find((o) => o.id === cmd.fixed);
  const fitting = m.orders.filter(suits);
  return pick(cmd.preferLegal && fitting.length ? fitting : m.orders, cmd.n);
}

/** How a command chooses its order: the n-th (of those it suits, when preferLegal), or the one Advance fixed. */
interface Aim {
  n: number;
  preferLegal: boolean;
  fixed?: string;
}

function rxOf(m: Model, o: ModelOrder): ModelRx | undefined {
  return m.rxs.find((r) => r.id === o.rxId);
}

const atCloud = (o: ModelOrder) => o.pharmacyId === CLOUD;

// ---------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------

interface SignSpec {
  long: boolean;
  mode: "pickup" | "delivery";
  taoyuan: boolean;
  instalments: 2 | 3;
  site: number;
}

function draftOf(patientId: string, s: SignSpec): Draft {
  const diagnoses = [
    { icd10: "I10", name: "原发性高血压" },
    { icd10: "E11.9", name: "2型糖尿病" },
  ];
  const days = s.long ? 84 : 7;
  const items = [
    { drugCode: AMLODIPINE, dose: { value: 5, unit: "mg" }, frequency: "qd" as const, days, packages: s.long ? 3 : 1 },
    { drugCode: METFORMIN, dose: { value: 0.5, unit: "g" }, frequency: "bid" as const, days, packages: days * 2 },
  ];
  const address = s.taoyuan
    ? { region: "青溪县/桃源镇/仁和村", line: "桃源镇仁和村 3 组 12 号", phone: "13800000000" }
    : { region: "青溪县/石门乡", line: "石门街 3 号", phone: "13800000000" };
  const fulfilment =
    s.mode === "pickup" ? { mode: "pickup" as const, pickupSiteId: SITES[s.site % SITES.length] ?? SITES[0] } : { mode: "delivery" as const, address };
  return {
    patientId,
    kind: s.long ? "long_term" : "normal",
    diagnoses,
    items,
    ...(s.long ? { longTerm: { firstIssue: true, assessment: "血压血糖控制达标，病情稳定，规律服药。", patientConfirmed: true } } : {}),
    fulfilment: s.long ? { ...fulfilment, instalments: s.instalments } : fulfilment,
  };
}

class Sign implements Cmd {
  constructor(readonly s: SignSpec) {}
  check(m: Readonly<Model>) {
    return m.rxs.length < 4;
  }
  async run(m: Model) {
    const patientId = await freshPatient([
      { icd10: "I10", name: "原发性高血压" },
      { icd10: "E11", name: "2型糖尿病" },
    ]);
    const draft = draftOf(patientId, this.s);
    const pharmacyId = this.s.mode === "delivery" && this.s.taoyuan ? RENHE : CLOUD;
    await perform(m, this.toString(), {
      ok: 201,
      apply: async (body) => {
        const rx = body as { id: string; orders: { id: string; instalment: number; releaseOn: string }[] };
        expect(rx.orders.length).toBe(this.s.long ? this.s.instalments : 1);
        const items = await readSnapshot(rx.orders.map((o) => o.id));
        m.rxs.push({ id: rx.id, kind: this.s.long ? "long_term" : "normal", status: "signed", vbp: false });
        for (const o of rx.orders) {
          const packages = items.orders.get(o.id)?.items.map((i) => i.packages) ?? [];
          m.orders.push({
            id: o.id,
            rxId: rx.id,
            instalment: o.instalment,
            mode: this.s.mode,
            region: this.s.mode === "delivery" ? (this.s.taoyuan ? "taoyuan" : "shimen") : null,
            pharmacyId,
            // the first instalment goes to review at once, later ones wait for their release day
            status: o.instalment === 1 ? "pending_review" : "scheduled",
            pickupSiteId: draft.fulfilment.mode === "pickup" ? (draft.fulfilment.pickupSiteId ?? null) : null,
            packages,
            supplied: packages.map(() => 0),
            dispensed: packages.map(() => 0),
            reroutes: 0,
            releaseOn: o.releaseOn,
            readyAt: null,
            attempts: 0,
            reissues: 0,
          });
        }
        // the instalments split the prescription without losing or adding a package
        const totals = draft.items.map((_, idx) => rx.orders.reduce((n, o) => n + (items.orders.get(o.id)?.items[idx]?.packages ?? 0), 0));
        expect(totals).toEqual(draft.items.map((i) => i.packages));
      },
    }, async () => api("POST", "/prescriptions", { token: await shimenDoctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: draft }));
  }
  toString() {
    const s = this.s;
    return `sign(${s.long ? `long×${s.instalments}` : "normal"}, ${s.mode === "pickup" ? `pickup@${SITES[s.site % SITES.length]}` : s.taoyuan ? "delivery 桃源镇" : "delivery 石门乡"})`;
  }
}

// ---------------------------------------------------------------------------------------
// The desk (as the cloud pharmacy's staff)
// ---------------------------------------------------------------------------------------

const REJECT_REASONS = ["inappropriate.dosage", "non_standard.incomplete", "abnormal.no_indication"] as const;

class Review implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean, readonly approve: boolean, readonly reason: number) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.status === "pending_review");
    if (!o) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : o.status !== "pending_review"
        ? { refused: 409 }
        : { ok: 200, apply: () => {
  o.status = this.approve ? "approved" : "rejected";
} };
    const body = this.approve ? { decision: "approve" } : { decision: "reject", reasonCode: pick(REJECT_REASONS, this.reason), note: "请核对用量" };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/review`, { token: await licensed(this.n), body }));
  }
  toString() {
    return `review(#${this.n}, ${this.approve ? "approve" : `reject ${pick(REJECT_REASONS, this.reason)}`})`;
  }
}

type DispenseKind = "full" | "partial" | "over" | "expired";

class Dispense implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean, readonly kind: DispenseKind, readonly shares: number[]) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && (x.status === "approved" || x.status === "awaiting_stock"));
    if (!o) return;
    const lines = o.packages.map((_, idx) => {
      const left = remaining(o, idx);
      const share = this.shares[idx % Math.max(1, this.shares.length)] ?? 1;
      const packages = this.kind === "partial" ? Math.floor(left * share) : this.kind === "over" && idx === 0 ? left + 1 : left;
      return { index: idx, packages, lotNo: `L${idx}${this.n}`, expiry: this.kind === "expired" ? "2020-01" : "2099-12" };
    });
    const total = lines.reduce((s, l) => s + l.packages, 0);
    const legal = atCloud(o) && (o.status === "approved" || o.status === "awaiting_stock");
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : !legal
        ? { refused: 409 }
        : this.kind === "over" || this.kind === "expired" || total === 0
          ? { refused: 422 }
          : {
              ok: 200,
              apply: () => {
                o.status = "dispensing";
                o.dispensed = lines.map((l) => l.packages);
              },
            };
    // a 药士 may dispense
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/dispense`, { token: await assistant(), body: { items: lines } }));
  }
  toString() {
    return `dispense(#${this.n}, ${this.kind}${this.kind === "partial" ? ` ${this.shares.map((s) => s.toFixed(2)).join("/")}` : ""})`;
  }
}

class Ready implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.status === "dispensing" && x.mode === "pickup");
    if (!o) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : o.status !== "dispensing" || o.mode !== "pickup"
        ? { refused: 409 }
        : {
            ok: 200,
            apply: (body) => {
              o.status = "ready_for_pickup";
              o.readyAt = String(body.readyAt);
              o.attempts = 0;
            },
          };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/ready`, { token: await licensed(this.n), body: {} }));
  }
  toString() {
    return `ready(#${this.n})`;
  }
}

class Handover implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean, readonly rightCode: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.status === "ready_for_pickup");
    if (!o) return;
    const legal = atCloud(o) && o.status === "ready_for_pickup" && o.mode === "pickup";
    const code = legal ? await pickupCodeFromSms(o.id) : "000000";
    const sent = this.rightCode ? code : String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : !legal || o.attempts >= 5
        ? { refused: 409 }
        : this.rightCode
          ? {
              ok: 200,
              apply: () => {
                const complete = handOver(o);
                o.status = complete ? "picked_up" : "awaiting_stock";
                if (complete) completeIfSupplied(m, o.rxId);
              },
            }
          : { refused: 409 };
    await perform(m, `${this} ${o.id}`, outcome, async () => {
      const res = await api("POST", `/orders/${o.id}/handover`, { token: await licensed(this.n), body: { pickupCode: sent } });
      // a wrong code is counted (not a change of the order's status, items or timeline)
      if (legal && !this.rightCode && res.status === 409 && o.attempts < 5) o.attempts++;
      return res;
    });
  }
  toString() {
    return `handover(#${this.n}, ${this.rightCode ? "right code" : "wrong code"})`;
  }
}

class Reissue implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.status === "ready_for_pickup");
    if (!o) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : o.status !== "ready_for_pickup" || o.reissues >= 3
        ? { refused: 409 }
        : {
            ok: 200,
            apply: () => {
              o.reissues++;
              o.attempts = 0;
            },
          };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/reissue-pickup-code`, { token: await licensed(this.n), body: { reason: "患者未收到短信" } }));
  }
  toString() {
    return `reissue-pickup-code(#${this.n})`;
  }
}

class Ship implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.status === "dispensing" && x.mode === "delivery");
    if (!o) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : o.status !== "dispensing" || o.mode !== "delivery"
        ? { refused: 409 }
        : { ok: 200, apply: () => {
  o.status = "shipped";
} };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/ship`, { token: await licensed(this.n), body: { carrier: "邮政", trackingNo: `YZ${this.n}0001` } }));
  }
  toString() {
    return `ship(#${this.n})`;
  }
}

class Deliver implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.status === "shipped");
    if (!o) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : o.status !== "shipped"
        ? { refused: 409 }
        : {
            ok: 200,
            apply: () => {
              const complete = handOver(o);
              o.status = complete ? "delivered" : "awaiting_stock";
              if (complete) completeIfSupplied(m, o.rxId);
            },
          };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/deliver`, { token: await licensed(this.n), body: {} }));
  }
  toString() {
    return `deliver(#${this.n})`;
  }
}

/** An open change request dies with its order: nothing is left for the doctor to decide. */
function closeRequest(m: Model, o: ModelOrder): void {
  for (const cr of m.changeRequests) if (cr.orderId === o.id) cr.open = false;
}

class DeskCancel implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && CANCELLABLE.includes(x.status));
    if (!o) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : !CANCELLABLE.includes(o.status)
        ? { refused: 409 }
        : {
            ok: 200,
            apply: () => {
              o.status = "cancelled";
              closeRequest(m, o);
            },
          };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/cancel`, { token: await licensed(this.n), body: { reason: "患者无法联系" } }));
  }
  toString() {
    return `desk-cancel(#${this.n})`;
  }
}

/**
 * The return path (desk return or the external pharmacy's `returned`): nothing dispensed
 * and never re-routed, a delivery to 桃源镇 goes to the other pharmacy serving it; anything
 * else goes back to the doctor.
 */
function returned(m: Model, o: ModelOrder): void {
  const reroutable = (o.status === "pending_review" || o.status === "approved") && o.reroutes < 1 && o.mode === "delivery" && o.region === "taoyuan";
  closeRequest(m, o);
  if (reroutable) {
    o.pharmacyId = o.pharmacyId === CLOUD ? RENHE : CLOUD;
    o.reroutes++;
    o.status = "pending_review";
  } else {
    o.status = "returned";
  }
}

const RETURN_REASONS = ["out_of_stock_long", "cannot_contact_patient", "outside_delivery_area"] as const;

class DeskReturn implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean, readonly reason: number) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && RETURNABLE.includes(x.status));
    if (!o) return;
    const outcome: Outcome = !atCloud(o) ? { refused: 404 } : !RETURNABLE.includes(o.status) ? { refused: 409 } : { ok: 200, apply: () => returned(m, o) };
    await perform(m, `${this} ${o.id}`, outcome, async () => api("POST", `/orders/${o.id}/return`, { token: await licensed(this.n), body: { reasonCode: pick(RETURN_REASONS, this.reason) } }));
  }
  toString() {
    return `desk-return(#${this.n}, ${pick(RETURN_REASONS, this.reason)})`;
  }
}

const SITE_STATUSES: readonly OrderStatus[] = ["scheduled", "pending_review", "approved"];

class ChangeSite implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean, readonly site: number) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model) {
    const o = target(m, this, (x) => atCloud(x) && x.mode === "pickup" && SITE_STATUSES.includes(x.status));
    if (!o) return;
    const site = pick(SITES, this.site) ?? SITES[0];
    const outcome: Outcome =
      !atCloud(o) ? { refused: 404 } : o.mode !== "pickup" || !SITE_STATUSES.includes(o.status) || o.pickupSiteId === site ? { refused: 409 } : { ok: 200, apply: () => {
  o.pickupSiteId = site;
} };
    await perform(m, `${this} ${o.id}`, outcome, async () =>
      api("POST", `/orders/${o.id}/change-site`, { token: await licensed(this.n), body: { pickupSiteId: site, consent: { method: "phone", note: "电话确认" } } }),
    );
  }
  toString() {
    return `change-site(#${this.n}, ${pick(SITES, this.site)})`;
  }
}

// ---------------------------------------------------------------------------------------
// The external pharmacy's signed callbacks
// ---------------------------------------------------------------------------------------

const CALLBACK_STATUSES = ["approved", "rejected", "dispensing", "ready_for_pickup", "picked_up", "shipped", "delivered", "cancelled", "returned"] as const;
type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** What a callback's status does to an order of the external pharmacy, by the spec; null when illegal (409). */
function callbackEffect(m: Model, o: ModelOrder, status: CallbackStatus): (() => void) | null {
  const from = o.status;
  const move = (to: OrderStatus) => () => {
  o.status = to;
};
  switch (status) {
    case "approved":
      return from === "pending_review" ? move("approved") : null;
    case "rejected":
      return from === "pending_review" ? move("rejected") : null;
    case "dispensing":
      return from === "approved" || from === "awaiting_stock" ? move("dispensing") : null;
    case "ready_for_pickup":
      return from === "dispensing" && o.mode === "pickup" ? move("ready_for_pickup") : null;
    case "picked_up":
      return from === "ready_for_pickup" && o.mode === "pickup" ? move("picked_up") : null;
    case "shipped":
      return from === "dispensing" && o.mode === "delivery" ? move("shipped") : null;
    case "delivered":
      return from === "shipped" && o.mode === "delivery"
        ? () => {
            o.status = "delivered";
            completeIfSupplied(m, o.rxId);
          }
        : null;
    case "cancelled":
      return CANCELLABLE.includes(from)
        ? () => {
            o.status = "cancelled";
            closeRequest(m, o);
          }
        : null;
    case "returned":
      return RETURNABLE.includes(from) ? () => returned(m, o) : null;
  }
}

async function postCallback(r: Real, body: Record<string, unknown>) {
  const rawBody = JSON.stringify(body);
  const signature = await signBody(r.secret, rawBody, new Date());
  return api("POST", `/pharmacy-callbacks/${RENHE}`, { rawBody, headers: { "content-type": "application/json", "x-signature": signature } });
}

function callbackOutcome(m: Model, o: ModelOrder, status: CallbackStatus, record: () => void): Outcome {
  if (o.pharmacyId !== RENHE) return { refused: 404 };
  const effect = callbackEffect(m, o, status);
  if (!effect) return { refused: 409 };
  return {
    ok: 200,
    apply: (body) => {
      expect(body.duplicate).toBe(false);
      effect();
      record();
    },
  };
}

class Callback implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean, readonly status: CallbackStatus) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  async run(m: Model, r: Real) {
    const o = target(m, this, (x) => x.pharmacyId === RENHE && callbackEffect(m, x, this.status) !== null);
    if (!o) return;
    const body: Record<string, unknown> = {
      eventId: `evt_${crypto.randomUUID()}`,
      orderId: o.id,
      status: this.status,
      at: new Date().toISOString(),
      ...(this.status === "rejected" ? { reasonCode: "R-DOSE" } : {}),
      ...(this.status === "shipped" ? { carrier: "顺丰", trackingNo: "SF1000001" } : {}),
      ...(this.status === "returned" ? { reasonCode: "OOS", note: "缺货" } : {}),
    };
    const sent = { body, applied: false };
    m.callbacks.push(sent);
    await perform(m, `${this} ${o.id}`, callbackOutcome(m, o, this.status, () => {
  sent.applied = true;
}), () => postCallback(r, body));
  }
  toString() {
    return `callback(#${this.n}, ${this.status})`;
  }
}

/** The pharmacy sends an earlier event again (a retry after a lost answer, or late): applied once means never again. */
class ReplayCallback implements Cmd {
  constructor(readonly n: number) {}
  check(m: Readonly<Model>) {
    return m.callbacks.length > 0;
  }
  async run(m: Model, r: Real) {
    const sent = pick(m.callbacks, this.n);
    const o = sent && m.orders.find((x) => x.id === sent.body.orderId);
    if (!sent || !o) return;
    const outcome: Outcome = sent.applied
      ? { ok: 200, apply: (body) => void expect(body.duplicate).toBe(true) }
      : callbackOutcome(m, o, sent.body.status as CallbackStatus, () => {
  sent.applied = true;
});
    const wasApplied = sent.applied;
    const before = observable(await snapshotOf(m));
    await perform(m, `${this} ${String(sent.body.status)} ${o.id}`, outcome, () => postCallback(r, sent.body));
    // a replay of an applied event changes nothing at all
    if (wasApplied) expect(observable(await snapshotOf(m))).toBe(before);
  }
  toString() {
    return `replay-callback(#${this.n})`;
  }
}

// ---------------------------------------------------------------------------------------
// The doctor
// ---------------------------------------------------------------------------------------

class DoctorCancel implements Cmd {
  constructor(readonly n: number) {}
  check(m: Readonly<Model>) {
    return m.rxs.length > 0;
  }
  async run(m: Model) {
    const rx = pick(m.rxs, this.n);
    if (!rx) return;
    const orders = m.orders.filter((o) => o.rxId === rx.id);
    const outcome: Outcome =
      rx.status !== "signed" || orders.some((o) => DISPENSED.includes(o.status))
        ? { refused: 409 }
        : {
            ok: 200,
            apply: () => {
              rx.status = "cancelled";
              for (const o of orders) {
                if (!OPEN.includes(o.status)) continue;
                o.status = "cancelled";
                closeRequest(m, o);
              }
            },
          };
    await perform(m, `${this} ${rx.id}`, outcome, async () => api("POST", `/prescriptions/${rx.id}/cancel`, { token: await shimenDoctor(), body: { reason: "患者要求取消" } }));
  }
  toString() {
    return `doctor-cancel(rx #${this.n})`;
  }
}

class ProposeChange implements Cmd {
  constructor(readonly n: number, readonly preferLegal: boolean) {}
  fixed?: string;
  check(m: Readonly<Model>) {
    return m.orders.some((o) => rxOf(m, o)?.kind === "normal");
  }
  async run(m: Model, r: Real) {
    const normal = (o: ModelOrder) => rxOf(m, o)?.kind === "normal";
    const o = target(m, this, (x) => normal(x) && atCloud(x) && x.status === "pending_review");
    if (!o || !normal(o)) return;
    const outcome: Outcome = !atCloud(o)
      ? { refused: 404 }
      : o.status !== "pending_review"
        ? { refused: 409 }
        : rxOf(m, o)?.vbp
          ? { refused: 422 }
          : {
              ok: 201,
              apply: (body) => {
                o.status = "change_requested";
                m.changeRequests.push({ id: String(body.id), orderId: o.id, open: true });
              },
            };
    await perform(m, `${this} ${o.id}`, outcome, async () =>
      api("POST", `/orders/${o.id}/change-requests`, { token: await licensed(0), body: { reason: "集采中选产品替换", changes: [{ index: 0, drugCode: r.vbp }] } }),
    );
  }
  toString() {
    return `propose-change(#${this.n})`;
  }
}

type Decision = "accept" | "decline" | "withdraw";

class DecideChange implements Cmd {
  constructor(readonly n: number, readonly decision: Decision) {}
  check(m: Readonly<Model>) {
    return m.changeRequests.length > 0;
  }
  async run(m: Model) {
    const cr = pick(m.changeRequests, this.n);
    const o = cr && m.orders.find((x) => x.id === cr.orderId);
    if (!cr || !o) return;
    const outcome: Outcome = !cr.open
      ? { refused: 409 }
      : {
          ok: this.decision === "accept" ? 201 : 200,
          apply: (body) => {
            expect(o.status).toBe("change_requested");
            o.status = "pending_review";
            cr.open = false;
            if (this.decision !== "accept") return;
            const old = rxOf(m, o);
            const next = (body.prescription as { id: string }).id;
            if (old) old.status = "replaced";
            o.rxId = next;
            m.rxs.push({ id: next, kind: "normal", status: "signed", vbp: true });
          },
        };
    await perform(m, `${this} ${cr.id}`, outcome, async () =>
      this.decision === "withdraw"
        ? api("POST", `/change-requests/${cr.id}/withdraw`, { token: await licensed(0), body: {} })
        : api("POST", `/change-requests/${cr.id}/${this.decision}`, {
            token: await shimenDoctor(),
            headers: { "idempotency-key": crypto.randomUUID() },
            body: this.decision === "decline" ? { note: "维持原处方" } : {},
          }),
    );
  }
  toString() {
    return `${this.decision}-change(#${this.n})`;
  }
}

/**
 * The next step forward of one open order, as its pharmacy would take it: the desk's
 * review, dispensing (in full, or part of it), ready, hand-over with the right code, ship,
 * deliver; the external pharmacy's callbacks. Keeps runs deep enough to reach hand-over,
 * delivery and restock rounds; the single commands add the refusals and the side paths.
 */
class Advance implements Cmd {
  private step = "nothing to advance";
  constructor(readonly n: number, readonly share: number) {}
  check(m: Readonly<Model>) {
    return m.orders.length > 0;
  }
  next(o: ModelOrder): Cmd | null {
    if (o.pharmacyId === RENHE) {
      const status: Partial<Record<OrderStatus, CallbackStatus>> = { pending_review: "approved", approved: "dispensing", dispensing: "shipped", shipped: "delivered" };
      const next = status[o.status];
      return next ? new Callback(0, true, next) : null;
    }
    switch (o.status) {
      case "pending_review":
        return new Review(0, true, true, 0);
      case "approved":
      case "awaiting_stock":
        return this.share < 0.5 ? new Dispense(0, true, "full", []) : new Dispense(0, true, "partial", [this.share, this.share]);
      case "dispensing":
        return o.mode === "pickup" ? new Ready(0, true) : new Ship(0, true);
      case "ready_for_pickup":
        return new Handover(0, true, true);
      case "shipped":
        return new Deliver(0, true);
      default:
        return null;
    }
  }
  async run(m: Model, r: Real) {
    const open = m.orders.filter((o) => this.next(o) !== null);
    const o = pick(open, this.n);
    const cmd = o && this.next(o);
    if (!o || !cmd) return;
    this.step = `${cmd}`;
    await Object.assign(cmd, { fixed: o.id }).run(m, r);
  }
  toString() {
    return `advance(#${this.n}: ${this.step})`;
  }
}

// ---------------------------------------------------------------------------------------
// The cron
// ---------------------------------------------------------------------------------------

/** Moves the cron's clock forward and runs it: due instalments are released, orders never collected within 7 days expire. */
class Tick implements Cmd {
  constructor(readonly days: number) {}
  check() {
    return true;
  }
  async run(m: Model) {
    m.clockDays += this.days;
    const now = new Date(Date.now() + m.clockDays * DAY_MS);
    const today = chinaDay(now);
    const summary = await runScheduled(env, now);
    count(`tick released ${summary.released > 0}`);
    expect(summary.errors, `cron at ${now.toISOString()}`).toEqual([]);
    expect([summary.releaseFailures, summary.expiryFailures]).toEqual([0, 0]);
    for (const o of m.orders) {
      if (o.status === "scheduled" && o.releaseOn <= today) o.status = "pending_review";
      else if (o.status === "ready_for_pickup" && o.readyAt && plusDays(chinaDay(o.readyAt), 7) <= today) o.status = "expired";
    }
    await checkAll(m);
  }
  toString() {
    return `tick(+${this.days}d)`;
  }
}

// ---------------------------------------------------------------------------------------

const order = fc.nat({ max: 99 });
/** A share of what remains (fc.double leans towards 0 and would hardly ever dispense part). */
const tenths = fc.integer({ min: 0, max: 10 }).map((n) => n / 10);
/** Most commands aim at an order the action suits, the rest at any (refusals). */
const aim = fc.integer({ min: 0, max: 9 }).map((n) => n < 7);

/** A signing: normal or long in instalments, pickup at either window, delivery where the external pharmacy serves or not. */
export const signArbitrary: fc.Arbitrary<Cmd> = fc
  .record({ long: fc.boolean(), mode: fc.constantFrom("pickup" as const, "delivery" as const), taoyuan: fc.boolean(), instalments: fc.constantFrom<2 | 3>(2, 3), site: fc.nat(1) })
  .map((s) => new Sign(s));

/** Weighted towards the steps that move an order forward, so runs reach dispensing, hand-over, delivery and restock. */
const CALLBACK_MIX: CallbackStatus[] = ["approved", "approved", "dispensing", "dispensing", "shipped", "shipped", "delivered", "delivered", "rejected", "cancelled", "returned", "ready_for_pickup", "picked_up"];

export const commandArbitrary: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 2, arbitrary: signArbitrary },
  { weight: 6, arbitrary: fc.tuple(order, aim, fc.integer({ min: 0, max: 9 }), fc.nat(2)).map(([n, a, approve, reason]): Cmd => new Review(n, a, approve < 8, reason)) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(order, aim, fc.constantFrom<DispenseKind>("full", "full", "partial", "partial", "over", "expired"), fc.array(tenths, { minLength: 2, maxLength: 2 }))
      .map(([n, a, k, shares]): Cmd => new Dispense(n, a, k, shares)),
  },
  { weight: 4, arbitrary: fc.tuple(order, aim).map(([n, a]): Cmd => new Ready(n, a)) },
  { weight: 5, arbitrary: fc.tuple(order, aim, fc.integer({ min: 0, max: 9 })).map(([n, a, right]): Cmd => new Handover(n, a, right < 7)) },
  { weight: 1, arbitrary: fc.tuple(order, aim).map(([n, a]): Cmd => new Reissue(n, a)) },
  { weight: 4, arbitrary: fc.tuple(order, aim).map(([n, a]): Cmd => new Ship(n, a)) },
  { weight: 4, arbitrary: fc.tuple(order, aim).map(([n, a]): Cmd => new Deliver(n, a)) },
  { weight: 1, arbitrary: fc.tuple(order, aim).map(([n, a]): Cmd => new DeskCancel(n, a)) },
  { weight: 1, arbitrary: fc.tuple(order, aim, fc.nat(2)).map(([n, a, reason]): Cmd => new DeskReturn(n, a, reason)) },
  { weight: 1, arbitrary: fc.tuple(order, aim, fc.nat(1)).map(([n, a, site]): Cmd => new ChangeSite(n, a, site)) },
  { weight: 6, arbitrary: fc.tuple(order, aim, fc.constantFrom(...CALLBACK_MIX)).map(([n, a, status]): Cmd => new Callback(n, a, status)) },
  { weight: 2, arbitrary: order.map((n): Cmd => new ReplayCallback(n)) },
  { weight: 1, arbitrary: order.map((n): Cmd => new DoctorCancel(n)) },
  { weight: 1, arbitrary: fc.tuple(order, aim).map(([n, a]): Cmd => new ProposeChange(n, a)) },
  { weight: 2, arbitrary: fc.tuple(order, fc.constantFrom<Decision>("accept", "decline", "withdraw")).map(([n, d]): Cmd => new DecideChange(n, d)) },
  { weight: 3, arbitrary: fc.constantFrom(1, 7, 8, 22, 30, 36).map((days): Cmd => new Tick(days)) },
  { weight: 20, arbitrary: fc.tuple(order, tenths).map(([n, share]): Cmd => new Advance(n, share)) },
);
