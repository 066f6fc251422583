import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db";
import { d1RateLimiter } from "../../worker/http/rate-limit";
import { lookUpOrderStatus } from "../../worker/pharmacy/patient-status/patient-status.service";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";
import { aClient, aDelivery, aPickup, aThreeInstalmentPickup, lookUp, setOrder, wrongCheck } from "./patient-status.fixtures";

describe("the patient's status lookup", () => {
  beforeAll(loadDemoSeed);

  it("shows a pickup order's status, pharmacy, window and schedule with the reference and the phone's last four digits", async () => {
    const order = await aPickup();
    const res = await lookUp(order.reference, order.check, { client: aClient() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      reference: order.reference,
      status: "pending_review",
      statusText: "药师审核中",
      updatedAt: expect.any(String),
      mode: "pickup",
      modeText: "到取药点自取",
      pharmacy: { name: "青溪县域云药房", hours: "08:00-20:00" },
      pickupSite: { name: "石门乡卫生院便民取药窗口", address: "青溪县石门乡石门街12号 石门乡卫生院门诊楼一楼" },
      instalment: 1,
      instalments: 1,
      schedule: [{ instalment: 1, status: "pending_review", statusText: "药师审核中", days: 7, supplyFrom: expect.any(String), releaseOn: expect.any(String), current: true }],
    });
  });

  it("answers the same to POST, with the values kept out of the URL", async () => {
    const order = await aPickup();
    const client = aClient();
    const get = await lookUp(order.reference, order.check, { client });
    const post = await lookUp(order.reference, order.check, { client, method: "POST" });
    expect(post.status).toBe(200);
    expect(post.headers.get("cache-control")).toBe("no-store");
    expect(post.body).toEqual(get.body);
  });

  it("reads the reference as a patient types it: lower case, spaces and hyphens", async () => {
    const order = await aPickup();
    const typed = `${order.reference.slice(0, 4).toLowerCase()}-${order.reference.slice(4, 8)} ${order.reference.slice(8)}`;
    const res = await lookUp(typed, ` ${order.check} `, { client: aClient() });
    expect(res.status).toBe(200);
    expect(res.body.reference).toBe(order.reference);
  });

  it("accepts, for a delivery, the delivery phone's last four digits as well as the patient's, and shows the carrier and tracking number", async () => {
    const order = await aDelivery("0731-8452 6603", "13812345678");
    await setOrder(order.orderId, { status: "shipped", carrier: "中国邮政", trackingNo: "EMS1234567890" });
    const client = aClient();
    for (const check of ["6603", "5678"]) {
      const res = await lookUp(order.reference, check, { client });
      expect(res.status, check).toBe(200);
      expect(res.body).toMatchObject({ status: "shipped", statusText: "已发货，配送中", mode: "delivery", modeText: "配送到家", carrier: "中国邮政", trackingNo: "EMS1234567890" });
      expect(res.body.pickupSite).toBeUndefined();
    }
  });

  it("shows the whole instalment schedule, marking the instalment the reference belongs to", async () => {
    const order = await aThreeInstalmentPickup();
    const res = await lookUp(order.reference, order.check, { client: aClient() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ instalment: 1, instalments: 3 });
    const schedule = res.body.schedule;
    expect(schedule.map((s) => [s.instalment, s.status, s.current])).toEqual([
      [1, "pending_review", true],
      [2, "scheduled", false],
      [3, "scheduled", false],
    ]);
    expect(schedule[1]?.statusText).toBe("待发放（分次取药，到期自动进入审核）");
    expect(schedule.reduce((days, s) => days + s.days, 0)).toBe(84);
    // each instalment starts where the previous one's supply ends, and is released before it starts
    for (const [i, s] of schedule.entries()) {
      expect(s.releaseOn <= s.supplyFrom, `instalment ${s.instalment}`).toBe(true);
      const previous = schedule[i - 1];
      if (previous) expect(s.supplyFrom > previous.supplyFrom).toBe(true);
    }
  });

  it("counts the items waiting for stock, and says the order is ready or handed over in Chinese", async () => {
    const order = await aPickup();
    const client = aClient();
    await setOrder(order.orderId, {
      status: "awaiting_stock",
      items: [
        { drugCode: "W185-01", genericName: "苯磺酸氨氯地平片", packages: 2, supplied: 1 },
        { drugCode: "W315-05", genericName: "盐酸二甲双胍片", packages: 1, supplied: 1 },
      ],
    });
    const awaiting = await lookUp(order.reference, order.check, { client });
    expect(awaiting.body).toMatchObject({ status: "awaiting_stock", statusText: "部分药品缺货，到货后通知您取药或配送", heldItems: 1 });

    await setOrder(order.orderId, { status: "ready_for_pickup" });
    const ready = await lookUp(order.reference, order.check, { client });
    expect(ready.body).toMatchObject({ status: "ready_for_pickup", statusText: "已备好，请凭取药码到取药点取药" });
    expect(ready.body.heldItems).toBeUndefined();
  });

  it("shows nothing medical: no drug, no diagnosis, no patient, no pickup code", async () => {
    const order = await aPickup();
    await setOrder(order.orderId, { status: "ready_for_pickup" });
    const res = await lookUp(order.reference, order.check, { client: aClient() });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    for (const secret of ["W185", "氨氯地平", "I10", "高血压", "状态查询", "pat-status", order.orderId, order.prescriptionId, "pickupCode", "items", "phone"]) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it("costs one D1 round trip for a wrong check, two for a right one (its attempt is given back)", async () => {
    const order = await aPickup();
    const trips = async (check: string) => {
      const counter = countingD1(env.DB);
      const db = getDb(counter.db);
      await lookUpOrderStatus({ db, limiter: d1RateLimiter(db), now: new Date() }, { reference: order.reference, check }, aClient()).catch(() => undefined);
      return counter.count();
    };
    expect(await trips(wrongCheck(order.check))).toBe(1);
    expect(await trips(order.check)).toBe(2);
  });
});
