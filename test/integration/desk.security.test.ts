import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { sendPendingNotifications } from "../../worker/pharmacy/notifications/notifications.sender";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import {
  APPROVE,
  act,
  advance,
  aPickupOrder,
  aReadyPickupOrder,
  cloudAssistant,
  cloudPharmacist,
  DELIVERY_ADDRESS,
  freshPatient,
  fullDispense,
  getOrder,
  orderRow,
  pickupCodeFromSms,
  renhePharmacist,
  shimenDoctor,
  sign,
  TEST_LOT,
} from "./desk.fixtures";

/** Every desk write with a valid body, so what answers is the guard, not the validation. */
const WRITES: [string, unknown][] = [
  ["review", { decision: "approve" }],
  ["dispense", { items: [{ index: 0, packages: 1, ...TEST_LOT }] }],
  ["ready", {}],
  ["reissue-pickup-code", { reason: "患者未收到短信" }],
  ["handover", { pickupCode: "123456" }],
  ["ship", { carrier: "顺丰速运", trackingNo: "SF1234567890" }],
  ["deliver", {}],
  ["cancel", { reason: "x" }],
];

describe("desk security", () => {
  beforeAll(loadDemoSeed);

  it("needs a token on every desk route (401)", async () => {
    const { orderId } = await aPickupOrder();
    for (const [method, path] of [
      ["GET", "/orders"],
      ["GET", `/orders/${orderId}`],
      ["GET", "/orders/review-reasons"],
      ...WRITES.map(([action]) => ["POST", `/orders/${orderId}/${action}`]),
    ] as const) {
      const res = await api(method, path, { body: method === "POST" ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("refuses desk writes to doctors and admins (403) and the work list to doctors", async () => {
    const { orderId } = await aPickupOrder();
    for (const token of [await shimenDoctor(), await asAdmin()]) {
      for (const [action, body] of WRITES) {
        const res = await act(orderId, action, body, token);
        expect(res.status, action).toBe(403);
      }
    }
    expect((await api("GET", "/orders", { token: await shimenDoctor() })).status).toBe(403);
    expect((await getOrder(orderId, await shimenDoctor())).status).toBe(403);
    expect((await orderRow(orderId))?.status).toBe("pending_review");
  });

  it("hides another pharmacy's order (404 on read and write) and keeps it out of that pharmacy's list", async () => {
    const { orderId } = await aPickupOrder();
    const renhe = await renhePharmacist();
    const read = await getOrder(orderId, renhe);
    expect(read.status).toBe(404);
    expect(read.body.detail).toBe(`no order ${orderId}`);
    expect((await getOrder("ord_does_not_exist", renhe)).body.detail).toBe("no order ord_does_not_exist");
    for (const [action, body] of WRITES) expect((await act(orderId, action, body, renhe)).status, action).toBe(404);
    const list = await api<{ items: { id: string; pharmacyId: string }[] }>("GET", "/orders?limit=100", { token: renhe });
    expect(list.status).toBe(200);
    expect(list.body.items.every((o) => o.pharmacyId === "pharm-renhe")).toBe(true);
    // a pharmacist cannot ask for another pharmacy's list
    expect((await api("GET", "/orders?pharmacyId=pharm-cloud", { token: renhe })).status).toBe(403);
    expect((await orderRow(orderId))?.status).toBe("pending_review");
  });

  it("refuses a pharmacist token whose org is not the pharmacist's pharmacy (403)", async () => {
    const { orderId } = await aPickupOrder();
    const wrongOrg = await tokenFor("pharmacist", "ph-renhe-1", "pharm-cloud");
    const unknown = await tokenFor("pharmacist", "ph-nobody", "pharm-cloud");
    for (const token of [wrongOrg, unknown]) {
      expect((await api("GET", "/orders", { token })).status).toBe(403);
      expect((await getOrder(orderId, token)).status).toBe(403);
      expect((await act(orderId, "review", { decision: "approve" }, token)).status).toBe(403);
    }
  });

  it("lets a 药士 dispense but not review or hand over (处方管理办法 art. 31)", async () => {
    const { orderId } = await aPickupOrder();
    const assistant = await cloudAssistant();
    const review = await act(orderId, "review", { decision: "approve" }, assistant);
    expect(review.status).toBe(403);
    expect(review.body.detail).toContain("药师");
    await advance(orderId, APPROVE);
    expect((await act(orderId, "dispense", await fullDispense(orderId), assistant)).status).toBe(200);
    expect((await act(orderId, "ready", {}, assistant)).status).toBe(200);
    const code = await pickupCodeFromSms(orderId);
    expect((await act(orderId, "handover", { pickupCode: code }, assistant)).status).toBe(403);
    const reissue = await act(orderId, "reissue-pickup-code", { reason: "患者未收到短信" }, assistant);
    expect(reissue.status).toBe(403);
    expect(reissue.body.detail).toContain("药师");
    expect((await act(orderId, "handover", { pickupCode: code })).status).toBe(200);
  });

  it("keeps an external pharmacy's staff off the desk for its orders: they change through signed callbacks (403)", async () => {
    const draft = aNormalPrescription(await freshPatient(), AMLODIPINE, 7);
    const rx = await sign({ ...draft, fulfilment: { mode: "delivery", address: { ...DELIVERY_ADDRESS, region: "青溪县/桃源镇" } } });
    const order = rx.orders?.[0];
    expect(order?.pharmacyId).toBe("pharm-renhe");
    const renhe = await renhePharmacist();
    expect((await getOrder(order?.id ?? "", renhe)).status).toBe(200);
    const res = await act(order?.id ?? "", "review", { decision: "approve" }, renhe);
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("callbacks");
    expect((await getOrder(order?.id ?? "")).status).toBe(404);
  });

  it("shows a prescription to the pharmacy it was routed to, and to no other pharmacy (404)", async () => {
    const { rx } = await aPickupOrder();
    const mine = await api<{ id: string; orders: { id: string }[] }>("GET", `/prescriptions/${rx.id}`, { token: await cloudPharmacist() });
    expect(mine.status).toBe(200);
    expect(mine.body.orders.map((o) => o.id)).toEqual(rx.orders?.map((o) => o.id));
    expect((await api("GET", `/prescriptions/${rx.id}`, { token: await renhePharmacist() })).status).toBe(404);
    // reading is all: cancelling stays the prescribing doctor's
    expect((await api("POST", `/prescriptions/${rx.id}/cancel`, { token: await cloudPharmacist(), body: { reason: "x" } })).status).toBe(403);
  });

  it("never stores or shows the pickup code in clear after issuing it", async () => {
    const { orderId, code } = await aReadyPickupOrder();
    const row = await orderRow(orderId);
    expect(row?.pickup_code_hash).not.toContain(code);
    for (const token of [await cloudPharmacist(), await asAdmin()]) {
      const detail = await api<Problem>("GET", `/orders/${orderId}`, { token });
      expect(JSON.stringify(detail.body)).not.toContain(row?.pickup_code_hash ?? "-");
      expect(JSON.stringify(detail.body)).not.toContain(`"${code}"`);
    }
  });

  it("keeps every pickup code out of every answer and every log line; the patient's SMS alone carries it", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      });
    }
    try {
      const answers: string[] = [];
      const record = async <T>(call: Promise<{ body: T }>) => {
        const res = await call;
        answers.push(JSON.stringify(res.body));
        return res;
      };
      const { orderId } = await aPickupOrder();
      const pharmacist = await cloudPharmacist();
      await record(act(orderId, "review", { decision: "approve" }));
      await record(act(orderId, "dispense", await fullDispense(orderId)));
      await record(act(orderId, "ready"));
      const first = await pickupCodeFromSms(orderId);
      await record(act(orderId, "reissue-pickup-code", { reason: "患者未收到短信" }));
      const second = await pickupCodeFromSms(orderId);
      await record(act(orderId, "handover", { pickupCode: first === second ? String((Number(first) + 1) % 1_000_000).padStart(6, "0") : first }));
      for (const path of ["/orders?status=all&limit=100", "/orders/counts", `/orders/${orderId}`, `/notifications?orderId=${orderId}`]) {
        await record(api("GET", path, { token: pharmacist }));
        await record(api("GET", path, { token: await asAdmin() }));
      }
      await sendPendingNotifications(env, new Date());
      await record(act(orderId, "handover", { pickupCode: second }));
      expect(JSON.parse(answers.at(-1) ?? "{}")).toMatchObject({ status: "picked_up" });

      for (const code of [first, second]) {
        for (const text of answers) expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
        for (const line of lines) expect(line).not.toMatch(new RegExp(`\\b${code}\\b`));
      }
    } finally {
      vi.restoreAllMocks();
    }
  });
});
