import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderStatus } from "../../worker/pharmacy/orders/order-state";
import { ORDER_STATUSES, WORK_STATUSES } from "../../worker/pharmacy/orders/order-state";
import type { OrderCounts, QueueOrder } from "../../worker/pharmacy/desk/desk.schemas";
import { addDays, chinaDate } from "../../worker/lib/clock";
import { AMLODIPINE, AMOXICILLIN, aLongRenewal, aNormalPrescription, aPastLongPrescription, METFORMIN } from "../builders/prescriptions";
import { api, asAdmin, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import {
  APPROVE,
  aDeliveryOrder,
  advance,
  aPickupOrder,
  aReadyPickupOrder,
  cloudPharmacist,
  freshPatient,
  getOrder,
  renhePharmacist,
  sign,
} from "./desk.fixtures";

/*
 * The queue the desk page is built on: filters, counts and the review due time; and what an
 * order's page shows around the order (allergies, active supply, instalments).
 */

interface Page {
  items: QueueOrder[];
  nextCursor: string | null;
}

async function listAll(query: string, token?: string): Promise<QueueOrder[]> {
  const out: QueueOrder[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: Page } = await api<Page>("GET", `/orders?${query}&limit=100${cursor ? `&cursor=${cursor}` : ""}`, {
      token: token ?? (await cloudPharmacist()),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

const ids = (orders: QueueOrder[]) => orders.map((o) => o.id);

async function counts(query = "", token?: string) {
  const res = await api<OrderCounts>("GET", `/orders/counts${query ? `?${query}` : ""}`, { token: token ?? (await cloudPharmacist()) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A pickup order at the Chengguan window. */
async function aChengguanOrder() {
  const draft = aNormalPrescription(await freshPatient(), AMLODIPINE, 7);
  const rx = await sign({ ...draft, fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-chengguan" } });
  return rx.orders?.[0]?.id ?? "";
}

/** A long prescription in three instalments: the first pending review, two scheduled. */
async function aThreeInstalmentPrescription() {
  const patientId = await freshPatient([
    { icd10: "I10", name: "原发性高血压" },
    { icd10: "E11", name: "2型糖尿病" },
  ]);
  const rx = await sign(
    aLongRenewal({
      patientId,
      longTerm: { firstIssue: true, assessment: "血压血糖控制达标，病情稳定，评估后开具长期处方。", patientConfirmed: true },
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen", instalments: 3 },
    }),
  );
  return { rx, patientId, orders: rx.orders ?? [] };
}

describe("queue filters", () => {
  beforeAll(loadDemoSeed);

  it("filters by status (one, several, work by default, all), site, mode and instalment", async () => {
    const shimen = await aPickupOrder();
    const chengguan = await aChengguanOrder();
    const delivery = await aDeliveryOrder();
    const { orders: instalments } = await aThreeInstalmentPrescription();
    const [first, second, third] = instalments.map((o) => o.id);
    const done = await aReadyPickupOrder();
    await advance(done.orderId, ["handover", { pickupCode: done.code }]);
    await advance(shimen.orderId, APPROVE);

    const work = await listAll("");
    expect(ids(work)).toEqual(expect.arrayContaining([shimen.orderId, chengguan, delivery.orderId, first]));
    expect(ids(work)).not.toContain(done.orderId);
    expect(ids(work)).not.toContain(second);
    expect(work.every((o) => WORK_STATUSES.includes(o.status))).toBe(true);
    expect(ids(await listAll("status=work"))).toEqual(ids(work));
    // each row names its patient masked (药联测试 → 药**试), as the window calls them; never whole
    expect(work.find((o) => o.id === chengguan)?.patientMaskedName).toBe("药**试");
    expect(JSON.stringify(work)).not.toContain("药联测试");

    const everything = ids(await listAll("status=all"));
    expect(everything).toEqual(expect.arrayContaining([done.orderId, second, third, shimen.orderId]));

    const two = await listAll("status=pending_review,approved");
    expect(ids(two)).toEqual(expect.arrayContaining([shimen.orderId, chengguan, first]));
    expect(new Set(two.map((o) => o.status))).toEqual(new Set(["pending_review", "approved"]));

    const atChengguan = await listAll("siteId=site-cloud-chengguan");
    expect(ids(atChengguan)).toContain(chengguan);
    expect(ids(atChengguan)).not.toContain(shimen.orderId);
    expect(atChengguan.every((o) => o.pickupSiteId === "site-cloud-chengguan")).toBe(true);

    const deliveries = await listAll("mode=delivery");
    expect(ids(deliveries)).toContain(delivery.orderId);
    expect(deliveries.every((o) => o.mode === "delivery")).toBe(true);

    const later = await listAll("status=all&instalment=later");
    expect(ids(later)).toEqual(expect.arrayContaining([second, third]));
    expect(later.every((o) => o.instalment > 1)).toBe(true);
    const firsts = await listAll("status=all&instalment=first");
    expect(ids(firsts)).toContain(first);
    expect(firsts.every((o) => o.instalment === 1)).toBe(true);

    // filters combine; keys stay oldest first
    const combined = await listAll("status=scheduled&instalment=later&mode=pickup&siteId=site-cloud-shimen");
    expect(ids(combined)).toEqual(expect.arrayContaining([second, third]));
    const keys = combined.map((o) => `${o.createdAt}|${o.id}`);
    expect([...keys].sort()).toEqual(keys);
  });
});

describe("the review due time", () => {
  beforeAll(loadDemoSeed);

  async function inQueue(orderId: string) {
    const found = (await listAll("status=all")).find((o) => o.id === orderId);
    if (!found) throw new Error(`order ${orderId} not listed`);
    return found;
  }

  it("is pendingSince + 30 minutes by default, overdue once past, and nothing approves by itself", async () => {
    const { orderId } = await aPickupOrder();
    const fresh = await inQueue(orderId);
    expect(fresh.pendingSince).toEqual(expect.any(String));
    expect(fresh.reviewDueAt).toBe(new Date(Date.parse(fresh.pendingSince ?? "") + 30 * 60_000).toISOString());
    expect(fresh.overdue).toBe(false);

    const longAgo = new Date(Date.now() - 31 * 60_000).toISOString();
    await env.DB.prepare("UPDATE orders SET pending_since = ? WHERE id = ?").bind(longAgo, orderId).run();
    const late = await inQueue(orderId);
    expect(late).toMatchObject({ status: "pending_review", overdue: true, reviewDueAt: new Date(Date.parse(longAgo) + 30 * 60_000).toISOString() });
    expect((await getOrder(orderId)).body).toMatchObject({ status: "pending_review", overdue: true });

    await advance(orderId, APPROVE);
    expect(await inQueue(orderId)).toMatchObject({ status: "approved", reviewDueAt: null, overdue: false });
  });

  it("follows the consortium's reviewTargetMinutes setting", async () => {
    const { orderId } = await aPickupOrder();
    await env.DB.prepare("INSERT INTO consortium_settings (key, value, version, updated_at, updated_by) VALUES ('reviewTargetMinutes', '45', 1, ?, 'admin-county')")
      .bind(new Date().toISOString())
      .run();
    try {
      const order = await inQueue(orderId);
      expect(order.reviewDueAt).toBe(new Date(Date.parse(order.pendingSince ?? "") + 45 * 60_000).toISOString());
      const page = (await getOrder(orderId)).body;
      expect(page.reviewDueAt).toBe(order.reviewDueAt);
    } finally {
      await env.DB.prepare("DELETE FROM consortium_settings WHERE key = 'reviewTargetMinutes'").run();
    }
  });
});

describe("queue counts", () => {
  beforeAll(loadDemoSeed);

  it("counts every status of the pharmacy in agreement with the queue, per site and mode too", async () => {
    await aPickupOrder();
    await aDeliveryOrder();
    await aThreeInstalmentPrescription();
    const done = await aReadyPickupOrder();
    await advance(done.orderId, ["handover", { pickupCode: done.code }]);

    const all = await listAll("status=all");
    const c = await counts();
    expect(Object.keys(c.byStatus).sort()).toEqual([...ORDER_STATUSES].sort());
    for (const status of ORDER_STATUSES) expect(c.byStatus[status], status).toBe(all.filter((o) => o.status === status).length);
    const summed: Partial<Record<OrderStatus, number>> = {};
    for (const g of c.groups) summed[g.status] = (summed[g.status] ?? 0) + g.count;
    for (const status of ORDER_STATUSES) expect(summed[status] ?? 0).toBe(c.byStatus[status]);
    expect(c.groups.filter((g) => g.mode === "delivery").every((g) => g.siteId === null)).toBe(true);

    const deliveries = await counts("mode=delivery");
    expect(deliveries.groups.every((g) => g.mode === "delivery")).toBe(true);
    expect(deliveries.byStatus.pending_review).toBe(all.filter((o) => o.status === "pending_review" && o.mode === "delivery").length);
    const later = await counts("instalment=later");
    expect(later.byStatus.scheduled).toBe(all.filter((o) => o.status === "scheduled" && o.instalment > 1).length);
    expect(later.byStatus.scheduled).toBeGreaterThanOrEqual(2);
    const chengguan = await counts("siteId=site-cloud-chengguan");
    expect(chengguan.groups.every((g) => g.siteId === "site-cloud-chengguan")).toBe(true);
  });

  it("keeps each pharmacy to its own counts; admins count any pharmacy; doctors none", async () => {
    await aPickupOrder();
    const renhe = await counts("", await renhePharmacist());
    const cloud = await counts();
    expect(renhe.byStatus.pending_review).toBeLessThan(cloud.byStatus.pending_review);
    expect((await api("GET", "/orders/counts?pharmacyId=pharm-cloud", { token: await renhePharmacist() })).status).toBe(403);
    expect(await counts("pharmacyId=pharm-cloud", await asAdmin())).toEqual(cloud);
    expect((await api("GET", "/orders/counts", { token: await tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen") })).status).toBe(403);
    expect((await api("GET", "/orders/counts", { token: await tokenFor("pharmacist", "ph-nobody", "pharm-cloud") })).status).toBe(403);
    expect((await api("GET", "/orders/counts")).status).toBe(401);
  });
});

describe("an order's page", () => {
  beforeAll(loadDemoSeed);

  it("shows the patient's allergies, active supply across the consortium and the instalment schedule", async () => {
    const { rx, patientId, orders } = await aThreeInstalmentPrescription();
    await env.DB.prepare("INSERT INTO patient_allergies (id, patient_id, substance, atc_prefix, reaction) VALUES (?, ?, '青霉素', 'J01C', '皮疹')").bind(`alg-${patientId}`, patientId).run();
    // a supply line running at another institution, and one that already ran out
    const today = chinaDate(new Date());
    const lines: [string, string, string, string][] = [
      ["inst-chengguan", AMOXICILLIN, addDays(today, -3), addDays(today, 4)],
      ["inst-shimen", AMLODIPINE, "2020-01-01", "2020-03-25"],
    ];
    const others: string[] = [];
    for (const [institution, drug, start, end] of lines) {
      const id = await aPastLongPrescription(patientId, start);
      await env.DB.prepare("UPDATE prescriptions SET institution_id = ? WHERE id = ?").bind(institution, id).run();
      await env.DB.prepare(
        "INSERT INTO prescription_items (prescription_id, idx, patient_id, institution_id, drug_code, generic_name, atc, start_date, end_date, days, packages, active) VALUES (?, 0, ?, ?, ?, ?, NULL, ?, ?, 7, 1, 1)",
      )
        .bind(id, patientId, institution, drug, drug === AMOXICILLIN ? "阿莫西林" : "氨氯地平", start, end)
        .run();
      others.push(id);
    }

    const page = await getOrder(orders[0]?.id ?? "");
    expect(page.status).toBe(200);
    // the reviewing pharmacist reads the doctor and the institution by name, as on the 处方笺
    expect(page.body.prescription).toMatchObject({ prescriberName: "邓春梅", institutionName: "石门乡卫生院" });
    expect(page.body.allergies).toEqual([{ substance: "青霉素", atcPrefix: "J01C", reaction: "皮疹" }]);
    const supply = page.body.activeSupply.map((l) => [l.prescriptionId, l.drugCode, l.institutionId, l.thisPrescription]);
    expect(supply).toEqual(
      expect.arrayContaining([
        [rx.id, METFORMIN, "inst-shimen", true],
        [rx.id, AMLODIPINE, "inst-shimen", true],
        [others[0], AMOXICILLIN, "inst-chengguan", false],
      ]),
    );
    expect(page.body.activeSupply).toHaveLength(3);
    expect(page.body.activeSupply.find((l) => l.prescriptionId === others[0])).toMatchObject({ genericName: "阿莫西林", institutionName: "城关镇社区卫生服务中心" });
    expect(page.body.schedule.map((s) => [s.instalment, s.status, s.current])).toEqual([
      [1, "pending_review", true],
      [2, "scheduled", false],
      [3, "scheduled", false],
    ]);
    expect(page.body.schedule.map((s) => s.id)).toEqual(orders.map((o) => o.id));
    expect(page.body.schedule.every((s, i) => i === 0 || s.supplyFrom > (page.body.schedule[i - 1]?.supplyFrom ?? ""))).toBe(true);
    expect(page.body.dispensations).toEqual([]);

    // the later instalment's page shows the same schedule, itself current
    const later = await getOrder(orders[1]?.id ?? "");
    expect(later.body.schedule.map((s) => s.current)).toEqual([false, true, false]);
  });

  it("finds the patient at the window by name, pinyin initials, phone tail or prefix, order id or reference, within the pharmacy", async () => {
    const tail = String(1000 + Math.floor(Math.random() * 9000));
    const patientId = `pat-window-${crypto.randomUUID().slice(0, 8)}`;
    await env.DB.prepare("INSERT INTO patients (id, name, pinyin, gender, birth_date, phone, created_at) VALUES (?, '柏慕青', 'BMQ', 'female', '1961-05-20', ?, '2026-01-01')")
      .bind(patientId, `1390731${tail}`)
      .run();
    const { orderId, reference } = await aPickupOrder(patientId);
    const found = async (q: string, token?: string) => ids(await listAll(`status=all&q=${encodeURIComponent(q)}`, token));

    expect(await found("柏慕")).toEqual([orderId]);
    expect(await found("bmq")).toEqual([orderId]);
    expect(await found(" BMQ ")).toEqual([orderId]);
    expect(await found(tail)).toContain(orderId);
    // typed with a Chinese input method's full-width digits
    expect(await found(tail.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))))).toContain(orderId);
    expect(await found(`1390731${tail}`)).toEqual([orderId]);
    expect(await found(reference)).toEqual([orderId]);
    expect(await found(orderId)).toEqual([orderId]);
    const row = (await listAll(`status=all&q=${encodeURIComponent("柏慕青")}`))[0];
    expect(row?.patientMaskedName).toBe("柏*青");
    // no match; another pharmacy's pharmacist finds nothing of ours; too short a phone fragment is not a phone search
    expect(await found("柏慕青X")).toEqual([]);
    expect(await found("柏慕", await renhePharmacist())).toEqual([]);
    expect(await found(tail.slice(0, 3))).not.toContain(orderId);

    const tooLong = await api("GET", `/orders?q=${"柏".repeat(65)}`, { token: await cloudPharmacist() });
    expect(tooLong.status).toBe(400);
    expect(tooLong.headers.get("content-type")).toContain("problem+json");
  });

  it("shows another pharmacy nothing (404), as before", async () => {
    const { orderId } = await aPickupOrder();
    expect((await getOrder(orderId, await renhePharmacist())).status).toBe(404);
  });
});
