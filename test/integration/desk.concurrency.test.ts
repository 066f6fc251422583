import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { dispenseOrder } from "../../worker/pharmacy/desk/dispense.service";
import { handOverOrder, reissuePickupCode } from "../../worker/pharmacy/desk/pickup.service";
import { reviewOrder } from "../../worker/pharmacy/desk/review.service";
import { api } from "../support/api";
import { outcomes } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import {
  APPROVE,
  act,
  advance,
  anOrderAwaitingStock,
  aPickupOrder,
  aReadyPickupOrder,
  eventsOf,
  fullDispense,
  orderRow,
  pickupCodeFromSms,
  shimenDoctor,
  deskRacers,
} from "./desk.fixtures";

/*
 * Exactly one of several simultaneous transitions of one order wins: transitionOrder's
 * versioned update plus batch guard. The first block fires requests together through the
 * worker's fetch handler against real D1 and counts what committed, whatever the
 * interleaving. Requests of one isolate may well run one after the other, so the second
 * block forces the worst interleaving: every caller reads the order before any of them
 * writes, and only the guard can keep all but one from committing.
 */

const statuses = (results: { status: number }[]) => results.map((r) => r.status).sort();

describe("concurrent transitions on one order", () => {
  beforeAll(loadDemoSeed);

  it("lets exactly one of 5 parallel dispenses win: one 200, four 409, one timeline event", async () => {
    const { orderId } = await aPickupOrder();
    await advance(orderId, APPROVE);
    const before = await orderRow(orderId);
    const body = await fullDispense(orderId);
    const results = await Promise.all(Array.from({ length: 5 }, () => act(orderId, "dispense", body)));
    expect(statuses(results)).toEqual([200, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === "conflict")).toBe(true);
    expect((await eventsOf(orderId)).filter((e) => e.to_status === "dispensing")).toHaveLength(1);
    expect(await orderRow(orderId)).toMatchObject({ status: "dispensing", version: (before?.version ?? 0) + 1 });
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND action = 'order.dispense'").bind(orderId).first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("lets exactly one of parallel approvals and rejections decide the review", async () => {
    const { orderId } = await aPickupOrder();
    const results = await Promise.all([
      act(orderId, "review", { decision: "approve" }),
      act(orderId, "review", { decision: "reject", reasonCode: "inappropriate.dosage" }),
      act(orderId, "review", { decision: "approve" }),
      act(orderId, "review", { decision: "reject", reasonCode: "abnormal.no_indication" }),
      act(orderId, "review", { decision: "approve" }),
    ]);
    expect(statuses(results)).toEqual([200, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 200)?.body;
    const reviewEvents = (await eventsOf(orderId)).filter((e) => e.from_status === "pending_review");
    expect(reviewEvents).toHaveLength(1);
    const row = await orderRow(orderId);
    expect(row?.status).toBe(winner?.status);
    expect(reviewEvents[0]?.to_status).toBe(winner?.status);
    // a rejection's reason belongs to the rejection that won, an approval leaves none
    const stored = await env.DB.prepare("SELECT reject_reason FROM orders WHERE id = ?").bind(orderId).first<{ reject_reason: string | null }>();
    expect(stored?.reject_reason).toBe(winner?.rejectReason ?? null);
  });

  it("hands over once when the right code is presented 5 times at once", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const results = await Promise.all(Array.from({ length: 5 }, () => act(orderId, "handover", { pickupCode: code })));
    expect(statuses(results)).toEqual([200, 409, 409, 409, 409]);
    expect((await eventsOf(orderId)).filter((e) => e.to_status === "picked_up")).toHaveLength(1);
  });

  it("gives parallel wrong guesses no free tries: each counted attempt is one committed update", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const guesses = [1, 2, 3].map((n) => String((Number(code) + n) % 1_000_000).padStart(6, "0"));
    const results = await Promise.all(guesses.map((pickupCode) => act(orderId, "handover", { pickupCode })));
    expect(results.every((r) => r.status === 409)).toBe(true);
    const counted = (await orderRow(orderId))?.pickup_attempts ?? 0;
    const audited = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND action = 'order.pickup_code.wrong'").bind(orderId).first<{ n: number }>();
    expect(counted).toBeGreaterThanOrEqual(1);
    expect(audited?.n).toBe(counted);
    expect(results.filter((r) => r.body.detail?.startsWith("wrong pickup code"))).toHaveLength(counted);
  });

  it("lets exactly one of 3 parallel restock dispenses of an order awaiting stock win", async () => {
    const { orderId } = await anOrderAwaitingStock();
    const body = await fullDispense(orderId);
    const results = await Promise.all([1, 2, 3].map(() => act(orderId, "dispense", body)));
    expect(statuses(results)).toEqual([200, 409, 409]);
    const lots = await env.DB.prepare("SELECT round, count(*) AS n FROM order_dispensations WHERE order_id = ? GROUP BY round ORDER BY round").bind(orderId).all<{ round: number; n: number }>();
    expect(lots.results).toEqual([
      { round: 1, n: 1 },
      { round: 2, n: 1 },
    ]);
    expect((await eventsOf(orderId)).filter((e) => e.from_status === "awaiting_stock")).toHaveLength(1);
  });

  it("counts every reissue that commits once: one SMS and one audit row each", async () => {
    const { orderId } = await aReadyPickupOrder();
    const results = await Promise.all([1, 2, 3].map((n) => act(orderId, "reissue-pickup-code", { reason: `补发 ${n}` })));
    const won = results.filter((r) => r.status === 200).length;
    expect(won).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409)).toBe(true);
    expect((await orderRow(orderId))?.pickup_code_reissues).toBe(won);
    const sms = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE order_id = ? AND template = 'order-ready-for-pickup'").bind(orderId).first<{ n: number }>();
    expect(sms?.n).toBe(1 + won);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND action = 'order.pickup_code.reissue'").bind(orderId).first<{ n: number }>();
    expect(audit?.n).toBe(won);
  });

  it("settles a doctor's cancellation racing the pharmacy's dispense: one wins, the order and prescription agree", async () => {
    const { orderId, rx } = await aPickupOrder();
    await advance(orderId, APPROVE);
    const doctor = await shimenDoctor();
    const body = await fullDispense(orderId);
    const [cancel, dispense] = await Promise.all([
      api<{ status: string }>("POST", `/prescriptions/${rx.id}/cancel`, { token: doctor, body: { reason: "患者要求取消" } }),
      act(orderId, "dispense", body),
    ]);
    expect(statuses([cancel, dispense])).toEqual([200, 409]);
    const row = await orderRow(orderId);
    const prescription = await env.DB.prepare("SELECT status FROM prescriptions WHERE id = ?").bind(rx.id).first<{ status: string }>();
    if (cancel.status === 200) {
      expect(row?.status).toBe("cancelled");
      expect(prescription?.status).toBe("cancelled");
    } else {
      expect(row?.status).toBe("dispensing");
      expect(prescription?.status).toBe("signed");
    }
    expect((await eventsOf(orderId)).filter((e) => e.from_status === "approved")).toHaveLength(1);
  });
});


const LOST = "conflict: the order changed meanwhile; reload it";

describe("concurrent transitions that all read the same version", () => {
  beforeAll(loadDemoSeed);

  it("5 dispenses from the same approved version: the guard lets one commit and rolls four back", async () => {
    const { orderId } = await aPickupOrder();
    await advance(orderId, APPROVE);
    const ctxs = await deskRacers(5);
    const body = await fullDispense(orderId);
    const result = await outcomes(ctxs.map((ctx) => dispenseOrder(ctx, orderId, body)));
    expect(result.sort()).toEqual([LOST, LOST, LOST, LOST, "ok"]);
    expect((await eventsOf(orderId)).filter((e) => e.to_status === "dispensing")).toHaveLength(1);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND action = 'order.dispense'").bind(orderId).first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("approvals and rejections from the same pending version: one decision, one event, no stray reason", async () => {
    const { orderId } = await aPickupOrder();
    const ctxs = await deskRacers(4);
    const decisions = [
      { decision: "reject", reasonCode: "inappropriate.dosage" },
      { decision: "approve" },
      { decision: "reject", reasonCode: "abnormal.no_indication" },
      { decision: "approve" },
    ] as const;
    const result = await outcomes(ctxs.map((ctx, i) => reviewOrder(ctx, orderId, { ...decisions[i]! })));
    expect(result.filter((r) => r === "ok")).toHaveLength(1);
    expect(result.filter((r) => r === LOST)).toHaveLength(3);
    const events = (await eventsOf(orderId)).filter((e) => e.from_status === "pending_review");
    expect(events).toHaveLength(1);
    const won = decisions[result.indexOf("ok")]!;
    const stored = await env.DB.prepare("SELECT status, reject_reason FROM orders WHERE id = ?").bind(orderId).first<{ status: string; reject_reason: string | null }>();
    expect(stored).toEqual(won.decision === "approve" ? { status: "approved", reject_reason: null } : { status: "rejected", reject_reason: won.reasonCode });
  });

  it("3 restock dispenses from the same awaiting_stock version: one round 2, no stray lots", async () => {
    const { orderId } = await anOrderAwaitingStock();
    const body = await fullDispense(orderId);
    const ctxs = await deskRacers(3);
    const result = await outcomes(ctxs.map((ctx) => dispenseOrder(ctx, orderId, body)));
    expect(result.sort()).toEqual([LOST, LOST, "ok"]);
    const lots = await env.DB.prepare("SELECT count(*) AS n FROM order_dispensations WHERE order_id = ? AND round = 2").bind(orderId).first<{ n: number }>();
    expect(lots?.n).toBe(1);
    const notices = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE order_id = ? AND template = 'order-partial-dispense'").bind(orderId).first<{ n: number }>();
    expect(notices?.n).toBe(1);
  });

  it("3 reissues from the same version: one new code, one SMS, two refused", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const ctxs = await deskRacers(3);
    const result = await outcomes(ctxs.map((ctx, i) => reissuePickupCode(ctx, orderId, `补发 ${i}`)));
    expect(result.sort()).toEqual([LOST, LOST, "ok"]);
    expect((await orderRow(orderId))?.pickup_code_reissues).toBe(1);
    const fresh = await pickupCodeFromSms(orderId);
    const sms = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE order_id = ? AND template = 'order-ready-for-pickup'").bind(orderId).first<{ n: number }>();
    expect(sms?.n).toBe(2);
    if (fresh !== code) expect((await act(orderId, "handover", { pickupCode: code })).status).toBe(409);
    expect((await act(orderId, "handover", { pickupCode: fresh })).status).toBe(200);
  });

  it("3 wrong pickup codes from the same version: one attempt counted, two refused alike without a verdict", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const ctxs = await deskRacers(3);
    const guesses = [1, 2, 3].map((n) => String((Number(code) + n) % 1_000_000).padStart(6, "0"));
    const result = await outcomes(ctxs.map((ctx, i) => handOverOrder(ctx, orderId, guesses[i]!)));
    expect(result.filter((r) => r === LOST)).toHaveLength(2);
    expect(result.filter((r) => r.startsWith("conflict: wrong pickup code"))).toHaveLength(1);
    expect((await orderRow(orderId))?.pickup_attempts).toBe(1);
  });

  it("a right and a wrong code from the same version: either the hand-over or the count commits, never both", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const ctxs = await deskRacers(2);
    const result = await outcomes([handOverOrder(ctxs[0]!, orderId, code), handOverOrder(ctxs[1]!, orderId, String((Number(code) + 1) % 1_000_000).padStart(6, "0"))]);
    const row = await orderRow(orderId);
    if (result[0] === "ok") {
      expect(result[1]).toBe(LOST);
      expect(row).toMatchObject({ status: "picked_up", pickup_attempts: 0 });
    } else {
      expect(result[0]).toBe(LOST);
      expect(result[1]).toMatch(/^conflict: wrong pickup code/);
      expect(row).toMatchObject({ status: "ready_for_pickup", pickup_attempts: 1 });
    }
  });
});
