import { beforeAll, describe, expect, it } from "vitest";
import type { PrescriptionListItem } from "../../worker/prescriptions/prescriptions.schemas";
import { listPrescriptions } from "../../worker/prescriptions/prescription-list.service";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { freshPatient, sign } from "./desk.fixtures";
import { anAdmin, countedCtx, shimenDoctor, shimenJunior } from "./follow-up-rx.fixtures";
import { aRejectedPrescription, draftOf, signDraft } from "./replaces.fixtures";

type Page = { items: PrescriptionListItem[]; nextCursor: string | null };

/** Signed and then cancelled, so the next one for the same patient is no duplicate of its supply. */
async function aCancelledOne(patientId: string, token?: string): Promise<string> {
  const rx = await sign(aNormalPrescription(patientId, AMLODIPINE, 7), token);
  const res = await api("POST", `/prescriptions/${rx.id}/cancel`, { token: token ?? (await shimenDoctor()), body: { reason: "测试" } });
  expect(res.status).toBe(200);
  return rx.id;
}

async function list(query: string, token?: string) {
  const res = await api<Page>("GET", `/prescriptions?${query}`, { token: token ?? (await shimenDoctor()) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("my prescriptions", () => {
  beforeAll(loadDemoSeed);

  it("lists mine newest first, each with its drugs and where each order stands (a rejection with its reason)", async () => {
    const { rx: rejected, orderId } = await aRejectedPrescription();
    const later = await sign(aNormalPrescription(rejected.patientId, AMLODIPINE, 7));
    const page = await list(`patientId=${rejected.patientId}`);
    expect(page.items.map((i) => i.id)).toEqual([later.id, rejected.id]);
    expect(page.items[1]).toEqual({
      id: rejected.id,
      patientId: rejected.patientId,
      patientName: "药联测试",
      kind: "normal",
      writtenAt: rejected.writtenAt,
      days: 7,
      status: "signed",
      replaces: null,
      replacedBy: null,
      items: [{ drugCode: AMLODIPINE, genericName: expect.stringContaining("氨氯地平"), packages: 1 }],
      orders: [
        {
          id: orderId,
          pharmacyId: "pharm-cloud",
          pharmacyName: expect.any(String),
          status: "rejected",
          instalment: 1,
          instalments: 1,
          releaseOn: expect.any(String),
          supplyFrom: expect.any(String),
          mode: "pickup",
          reference: expect.any(String),
          rejectReason: "inappropriate.dosage",
          rejectNote: "剂量请核对",
        },
      ],
    });
    expect(page.items[0]?.orders[0]).toMatchObject({ status: "pending_review", rejectReason: null });
    expect(page.nextCursor).toBeNull();
  });

  it("shows the link between a replaced prescription and its successor, and filters by status", async () => {
    const { rx } = await aRejectedPrescription();
    const { body } = await draftOf(rx.id);
    const signed = await signDraft(body.draft);
    const page = await list(`patientId=${rx.patientId}`);
    expect(page.items.map((i) => [i.id, i.status, i.replaces, i.replacedBy])).toEqual([
      [signed.body.id, "signed", rx.id, null],
      [rx.id, "replaced", null, signed.body.id],
    ]);
    expect((await list(`patientId=${rx.patientId}&status=replaced`)).items.map((i) => i.id)).toEqual([rx.id]);
    expect((await list(`patientId=${rx.patientId}&status=signed,replaced`)).items).toHaveLength(2);
    expect((await list(`patientId=${rx.patientId}&status=cancelled`)).items).toEqual([]);
  });

  it("mine by default, the institution's with scope=institution, every one for an admin", async () => {
    const patientId = await freshPatient();
    const own = await aCancelledOne(patientId);
    const colleagues = await aCancelledOne(patientId, await shimenJunior());
    expect((await list(`patientId=${patientId}`)).items.map((i) => i.id)).toEqual([own]);
    expect((await list(`patientId=${patientId}&scope=institution`)).items.map((i) => i.id)).toEqual([colleagues, own]);
    expect((await list(`patientId=${patientId}`, await anAdmin())).items.map((i) => i.id)).toEqual([colleagues, own]);
  });

  it("pages with a cursor, newest first, without gaps or repeats", async () => {
    const patientId = await freshPatient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.unshift(await aCancelledOne(patientId));
    const first = await list(`patientId=${patientId}&limit=2`);
    expect(first.items.map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(first.nextCursor).not.toBeNull();
    const second = await list(`patientId=${patientId}&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.id)).toEqual(ids.slice(2));
    expect(second.nextCursor).toBeNull();
  });

  it("costs one round trip whatever the page size", async () => {
    for (let i = 0; i < 3; i++) await sign(aNormalPrescription(await freshPatient(), AMLODIPINE, 7));
    for (const limit of [1, 100]) {
      const { ctx, trips } = await countedCtx();
      const page = await listPrescriptions(ctx, { scope: "mine", limit, status: undefined, patientId: undefined, cursor: undefined });
      expect(page.items.length).toBeGreaterThan(0);
      // (the newest were signed just now and routed; seeded history has no orders)
      expect(page.items.slice(0, Math.min(limit, 3)).every((i) => i.orders.length > 0 && i.items.length > 0)).toBe(true);
      expect(trips()).toBe(1);
    }
  });
});
