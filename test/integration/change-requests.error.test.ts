import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { chinaDate } from "../../worker/lib/clock";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import {
  accept,
  anOrderInReview,
  aVbpAmlodipine,
  changeRequestRow,
  decline,
  orderState,
  propose,
  proposed,
  replacementsOf,
  rxState,
  withdraw,
} from "./change-requests.fixtures";
import { act, shimenDoctor } from "./desk.fixtures";

/*
 * What a change request refuses, and that a refusal changes nothing: a proposal the rules
 * fail never reaches the doctor, a substitution must keep the medicine, decisions happen
 * once, and an acceptance re-checks the proposal against today's formulary.
 */

let VBP = "";

async function requestCount(orderId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM change_requests WHERE order_id = ?").bind(orderId).first<{ n: number }>();
  return row?.n ?? 0;
}

describe("proposals the desk cannot send", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP = await aVbpAmlodipine();
  });

  it.each([
    ["rx-quantity-excess", { index: 0, packages: 9 }],
    ["rx-drug-unknown", { index: 0, drugCode: "W999-99" }],
    ["rx-dose-max-daily", { index: 0, dose: { value: 20, unit: "mg" } }],
  ])("refuses a proposal failing %s with 422 and the findings; the order stays in review", async (ruleId, change) => {
    const { orderId } = await anOrderInReview();
    const res = await propose(orderId, { reason: "测试", changes: [change] });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.code).toBe("unprocessable");
    expect(res.body.detail).toMatch(/^the proposal fails/);
    expect(res.body.findings?.some((f) => f.ruleId === ruleId && f.severity === "error")).toBe(true);
    expect(await orderState(orderId)).toMatchObject({ status: "pending_review" });
    expect(await requestCount(orderId)).toBe(0);
  });

  it("refuses another medicine: 左氨氯地平 is not a substitute for 氨氯地平", async () => {
    const { orderId } = await anOrderInReview();
    const res = await propose(orderId, { reason: "测试", changes: [{ index: 0, drugCode: "W186-02" }] });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: "changes.0.drugCode", message: expect.stringContaining("左氨氯地平") }]);
    expect(await requestCount(orderId)).toBe(0);
  });

  it.each([
    ["an item the prescription lacks", { index: 1, packages: 1 }, "changes.0.index"],
    ["no change at all", { index: 0, packages: 1 }, undefined],
  ])("refuses %s with 422", async (_what, change, path) => {
    const { orderId } = await anOrderInReview();
    const res = await propose(orderId, { reason: "测试", changes: [change] });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    if (path) expect(res.body.issues?.map((i) => i.path)).toEqual([path]);
    expect(await orderState(orderId)).toMatchObject({ status: "pending_review" });
  });

  it.each([
    ["no changes", { reason: "测试", changes: [] }, "changes"],
    ["a change that changes nothing", { reason: "测试", changes: [{ index: 0 }] }, "changes.0"],
    ["one item changed twice", { reason: "测试", changes: [{ index: 0, packages: 2 }, { index: 0, dose: { value: 5, unit: "mg" } }] }, "changes.1.index"],
    ["no reason", { reason: " ", changes: [{ index: 0, packages: 2 }] }, "reason"],
    ["an unknown field", { reason: "测试", changes: [{ index: 0, packages: 2, frequency: "bid" }] }, "changes.0"],
    ["a negative index", { reason: "测试", changes: [{ index: -1, packages: 2 }] }, "changes.0.index"],
  ])("answers 400 for %s", async (_what, body, path) => {
    const { orderId } = await anOrderInReview();
    const res = await propose(orderId, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("validation-failed");
    expect(res.body.issues?.map((i) => i.path)).toContain(path);
  });

  it("proposes only for an order in review, one open request at a time", async () => {
    const { orderId } = await anOrderInReview();
    await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const again = await propose(orderId, { reason: "再次申请", changes: [{ index: 0, drugCode: VBP }] });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/change_requested/);
    expect(await requestCount(orderId)).toBe(1);

    const approved = await anOrderInReview();
    expect((await act(approved.orderId, "review", { decision: "approve" })).status).toBe(200);
    expect((await propose(approved.orderId, { reason: "测试", changes: [{ index: 0, drugCode: VBP }] })).status).toBe(409);
  });

  it("answers 404 for an unknown order", async () => {
    expect((await propose("ord_missing", { reason: "测试", changes: [{ index: 0, packages: 2 }] })).status).toBe(404);
  });
});

describe("decisions that cannot be made", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    VBP ||= await aVbpAmlodipine();
  });

  it("decides once: accept after a decline, a second decline, a withdrawal after either are 409", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    expect((await decline(cr.id)).status).toBe(200);
    expect((await decline(cr.id)).status).toBe(409);
    expect((await accept(cr.id)).status).toBe(409);
    expect((await withdraw(cr.id)).status).toBe(409);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "declined", version: 2 });
  });

  it("needs an Idempotency-Key to accept and a note to decline", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const keyless = await accept(cr.id, { key: null });
    expect(keyless.status).toBe(400);
    expect(keyless.body.code).toBe("idempotency-key-required");
    const noteless = await api<{ code: string }>("POST", `/change-requests/${cr.id}/decline`, { token: await shimenDoctor(), body: {} });
    expect(noteless.status).toBe(400);
    expect((await accept(cr.id, { body: { note: "好", extra: true } })).status).toBe(400);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "open", version: 1 });
  });

  it("does not let one Idempotency-Key accept two requests", async () => {
    const a = await anOrderInReview();
    const b = await anOrderInReview();
    const ca = await proposed(a.orderId, [{ index: 0, drugCode: VBP }]);
    const cb = await proposed(b.orderId, [{ index: 0, drugCode: VBP }]);
    const key = crypto.randomUUID();
    expect((await accept(ca.id, { key })).status).toBe(201);
    const reused = await accept(cb.id, { key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("idempotency-key-reused");
    expect(await changeRequestRow(cb.id)).toMatchObject({ status: "open" });
  });

  it("closes an open request when the doctor cancels the prescription instead", async () => {
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: VBP }]);
    const cancelled = await api("POST", `/prescriptions/${rx.id}/cancel`, { token: await shimenDoctor(), body: { reason: "患者改为住院治疗" } });
    expect(cancelled.status).toBe(200);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "declined", decision_note: "患者改为住院治疗" });
    expect(await orderState(orderId)).toMatchObject({ status: "cancelled" });
    expect((await accept(cr.id)).status).toBe(409);
  });

  it("re-checks the proposal on acceptance: a product suspended meanwhile is a 422 with the findings, and nothing changes", async () => {
    const code = await aVbpAmlodipine();
    const { rx, orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: code }]);
    const admin = await asAdmin();
    const entry = await api<{ version: number }>("GET", `/formulary/drugs/${code}`, { token: admin });
    const suspended = await api("PATCH", `/formulary/drugs/${code}`, { token: admin, headers: { "if-match": `"${entry.body.version}"` }, body: { status: "suspended", effectiveFrom: chinaDate(new Date()) } });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);

    const res = await accept(cr.id);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.findings?.some((f) => f.ruleId === "rx-drug-inactive")).toBe(true);
    expect(await changeRequestRow(cr.id)).toMatchObject({ status: "open", version: 1 });
    expect(await orderState(orderId)).toMatchObject({ status: "change_requested", prescriptionId: rx.id });
    expect(await rxState(rx.id)).toMatchObject({ status: "signed", replaced_by: null });
    expect(await replacementsOf(rx.id)).toBe(0);
    // the doctor can still decline it
    expect((await decline(cr.id, "集采品种已暂停供应")).status).toBe(200);
  });
});
