import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { ApiError } from "../../worker/errors/problem";
import type { DeskCtx } from "../../worker/pharmacy/desk/desk.access";
import { proposeChange, withdrawChangeRequest } from "../../worker/pharmacy/desk/change-requests.service";
import { acceptChangeRequest, declineChangeRequest } from "../../worker/prescriptions/change-requests.service";
import type { RxCtx } from "../../worker/prescriptions/prescriptions.service";
import { getSigner } from "../../worker/signing/signer";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";
import { accept, anOrderInReview, aVbpAmlodipine, changeRequestRow, orderState, proposed, replacementsOf, rxState, withdraw } from "./change-requests.fixtures";
import { eventsOf } from "./desk.fixtures";

/*
 * Exactly one of two racing decisions on a change request commits: the request's and the
 * order's versioned updates and the old prescription's are guarded in the acceptance's one
 * batch. The first block races requests through the worker; the second forces the worst
 * interleaving (every caller has read before any writes), so only the guards can decide.
 */

let VBP = "";

const DOCTOR = { sub: "doc-shimen-gp-intermediate", role: "doctor" as const, org: "inst-shimen", name: "" };
const PHARMACIST = { sub: "ph-cloud-1", role: "pharmacist" as const, org: "pharm-cloud", name: "" };

async function doctorCtx(d1: D1Database, i = 0): Promise<RxCtx> {
  return { db: getDb(d1), actor: DOCTOR, requestId: `cr-doctor-${i}`, now: new Date(), signer: await getSigner(env), queue: env.ORDER_QUEUE, leadDays: 7 };
}

async function pharmacistCtx(d1: D1Database, i = 0): Promise<DeskCtx> {
  return { db: getDb(d1), actor: PHARMACIST, requestId: `cr-desk-${i}`, now: new Date(), signer: await getSigner(env), queue: env.ORDER_QUEUE };
}

/** The outcome of each racer: "ok", or the problem code it was refused with. */
async function outcomes(calls: Promise<unknown>[]) {
  return (await Promise.allSettled(calls)).map((r) => {
    if (r.status === "fulfilled") return "ok";
    return r.reason instanceof ApiError ? r.reason.code : String(r.reason);
  });
}

/**
 * D1 for `n` callers, each of which is held after its `reads`-th batch until all `n` got
 * there: every caller then writes from what it read before anyone wrote.
 */
function barrier(n: number) {
  let arrived = 0;
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return (reads: number): D1Database => {
    let batches = 0;
    const db = Object.create(env.DB) as D1Database;
    Object.assign(db, {
      prepare: (query: string) => env.DB.prepare(query),
      batch: async (statements: D1PreparedStatement[]) => {
        const results = await env.DB.batch(statements);
        if (++batches === reads) {
          if (++arrived === n) open();
          await gate;
        }
        return results;
      },
    });
    return db;
  };
}

/** Batches before each decision writes: the acceptance claims its key, reads the request, reads the rule context; the others read once. */
const ACCEPT_READS = 3;
const SIMPLE_READS = 1;

describe("racing decisions through the worker", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP = await aVbpAmlodipine();
  });

  it("accept vs withdraw: exactly one wins and the order, request and prescriptions agree", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const [accepted, withdrawn] = await Promise.all([accept(cr.id), withdraw(cr.id)]);
    expect([accepted.status, withdrawn.status].filter((s) => s < 300)).toHaveLength(1);
    expect([accepted.status, withdrawn.status].filter((s) => s === 409)).toHaveLength(1);
    const order = await orderState(orderId);
    if (accepted.status === 201) {
      expect(await changeRequestRow(cr.id)).toMatchObject({ status: "accepted" });
      expect(order.prescriptionId).toBe(accepted.body.prescription.id);
      expect(await rxState(rx.id)).toMatchObject({ status: "replaced" });
    } else {
      expect(await changeRequestRow(cr.id)).toMatchObject({ status: "withdrawn" });
      expect(order.prescriptionId).toBe(rx.id);
      expect(await rxState(rx.id)).toMatchObject({ status: "signed" });
      expect(await replacementsOf(rx.id)).toBe(0);
    }
    expect(order.status).toBe("pending_review");
    expect((await eventsOf(orderId)).filter((e) => e.from_status === "change_requested")).toHaveLength(1);
  });

  it("two acceptances with two keys: one new prescription", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const results = await Promise.all([accept(cr.id), accept(cr.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await replacementsOf(rx.id)).toBe(1);
    // the loser's key was released: it can be retried, and is then told the decision was made
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "accepted", version: 2 });
  });
});

describe("racing decisions that all read the same versions", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP ||= await aVbpAmlodipine();
  });

  it("accept vs withdraw from the same reads: the guards let one commit", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const d1 = barrier(2);
    const result = await outcomes([
      acceptChangeRequest(await doctorCtx(d1(ACCEPT_READS)), cr.id, crypto.randomUUID(), {}),
      withdrawChangeRequest(await pharmacistCtx(d1(SIMPLE_READS)), cr.id, null),
    ]);
    expect(result.filter((r) => r === "ok")).toHaveLength(1);
    expect(result.filter((r) => r === "conflict")).toHaveLength(1);
    const stored = await changeRequestRow(cr.id);
    expect(stored?.status).toBe(result[0] === "ok" ? "accepted" : "withdrawn");
    expect(await replacementsOf(rx.id)).toBe(result[0] === "ok" ? 1 : 0);
    expect((await eventsOf(orderId)).filter((e) => e.from_status === "change_requested")).toHaveLength(1);
  });

  it("two acceptances with two keys from the same reads: one signs, the other rolls back whole", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const d1 = barrier(2);
    const result = await outcomes([
      acceptChangeRequest(await doctorCtx(d1(ACCEPT_READS), 1), cr.id, crypto.randomUUID(), {}),
      acceptChangeRequest(await doctorCtx(d1(ACCEPT_READS), 2), cr.id, crypto.randomUUID(), {}),
    ]);
    expect(result.sort()).toEqual(["conflict", "ok"]);
    expect(await replacementsOf(rx.id)).toBe(1);
    const moved = await orderState(orderId);
    expect(await rxState(moved.prescriptionId)).toMatchObject({ status: "signed", replaces: rx.id });
    const audits = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_id = ? AND action = 'prescription.replace'").bind(rx.id).first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });

  it("decline vs withdraw from the same reads: one closes the request", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const d1 = barrier(2);
    const result = await outcomes([
      declineChangeRequest(await doctorCtx(d1(SIMPLE_READS)), cr.id, "不同意"),
      withdrawChangeRequest(await pharmacistCtx(d1(SIMPLE_READS)), cr.id, null),
    ]);
    expect(result.sort()).toEqual(["conflict", "ok"]);
    expect(await changeRequestRow(cr.id)).toMatchObject({ version: 2 });
    expect((await eventsOf(orderId)).filter((e) => e.from_status === "change_requested")).toHaveLength(1);
  });
});

describe("round trips", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP ||= await aVbpAmlodipine();
  });

  it("propose 3 (access, rule context, write), accept 4 (key, request, rule context, write), decline and withdraw 2", async () => {
    const input = { reason: "集采中选产品替换", changes: [{ index: 0, drugCode: VBP }] };
    const trips = async (run: (d1: D1Database) => Promise<unknown>) => {
      const counter = countingD1(env.DB);
      await run(counter.db);
      return counter.count();
    };
    const a = await anOrderInReview();
    let id = "";
    expect(await trips(async (d1) => (id = (await proposeChange(await pharmacistCtx(d1), a.orderId, input)).id))).toBe(3);
    expect(await trips(async (d1) => acceptChangeRequest(await doctorCtx(d1), id, crypto.randomUUID(), {}))).toBe(4);

    const b = await anOrderInReview();
    const declined = await proposed(b.orderId, input.changes);
    expect(await trips(async (d1) => declineChangeRequest(await doctorCtx(d1), declined.id, "不同意"))).toBe(2);

    const c = await anOrderInReview();
    const withdrawn = await proposed(c.orderId, input.changes);
    expect(await trips(async (d1) => withdrawChangeRequest(await pharmacistCtx(d1), withdrawn.id, null))).toBe(2);
  });
});
