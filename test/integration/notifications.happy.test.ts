import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { getDb } from "../../worker/db/index";
import type { Principal } from "../../worker/http/auth";
import { renderNotification } from "../../worker/pharmacy/notifications/notifications.render";
import {
  type NotificationSender,
  RecordingSender,
  type SendResult,
  sendPendingNotifications,
} from "../../worker/pharmacy/notifications/notifications.sender";
import type { OrderAction } from "../../worker/pharmacy/orders/order-state";
import { loadOrder, type PharmacyCtx, type TransitionOptions, transitionOrder } from "../../worker/pharmacy/orders/transition";
import type { OrderNotificationList } from "../../worker/reports/reports.schemas";
import { aNormalPrescription } from "../builders/prescriptions";
import { api, asAdmin, asPharmacist, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { anOrderAwaitingStock } from "./desk.fixtures";

const doctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
const PHARMACIST: Principal = { sub: "ph-cloud-1", role: "pharmacist", org: "pharm-cloud", name: "" };
const SITE_NAME = "石门乡卫生院便民取药窗口";

interface NotificationDbRow {
  id: string;
  template: string;
  state: string;
  params: string;
  channel: string;
  created_at: string;
  sent_at: string | null;
}

async function freshPatient(): Promise<string> {
  const id = `pat-ntf-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '测试', 'male', '1958-01-01', '2026-01-01')").bind(id).run();
  return id;
}

/** Signs a 7-day prescription as a Shimen doctor for a fresh patient; returns its (only) order id. */
async function anOrder(mode: "pickup" | "delivery" = "pickup"): Promise<string> {
  const draft = aNormalPrescription(await freshPatient());
  if (mode === "delivery") draft.fulfilment = { mode: "delivery", address: { region: "青溪县/城关镇", line: "人民路1号", phone: "13800000000" } };
  const res = await api<{ orders: { id: string }[] }>("POST", "/prescriptions", { token: await doctor(), headers: { "idempotency-key": crypto.randomUUID() }, body: draft });
  expect(res.status).toBe(201);
  return res.body.orders[0]!.id;
}

function pharmacyCtx(now: Date): PharmacyCtx {
  return { db: getDb(env.DB), actor: PHARMACIST, requestId: "test", now, queue: env.ORDER_QUEUE };
}

/** Moves an order through the transition core (not the desk routes), all at `now`. */
async function move(orderId: string, now: Date, ...steps: [OrderAction, Partial<TransitionOptions>?][]) {
  for (const [action, opts] of steps) {
    await transitionOrder(pharmacyCtx(now), await loadOrder({ db: getDb(env.DB) }, orderId), action, { source: "desk", ...opts });
  }
}

async function readyForPickup(now = new Date()): Promise<string> {
  const orderId = await anOrder();
  await move(orderId, now, ["approve"], ["dispense"], ["ready", { notify: { pickupCode: "428613" } }]);
  return orderId;
}

async function notificationsOf(orderId: string): Promise<NotificationDbRow[]> {
  const rows = await env.DB.prepare("SELECT * FROM notifications WHERE order_id = ? ORDER BY created_at").bind(orderId).all<NotificationDbRow>();
  return rows.results;
}

/** Sends every notification still pending, so a test starts from an empty queue. */
async function drain(): Promise<void> {
  for (;;) {
    const s = await sendPendingNotifications(env, new Date(), new RecordingSender(), 500);
    if (s.attempted === 0) return;
  }
}

class FailingSender implements NotificationSender {
  readonly channel = "sms" as const;
  calls = 0;
  constructor(private readonly result: SendResult | "throw") {}
  async send(): Promise<SendResult> {
    this.calls++;
    if (this.result === "throw") throw new Error("socket hang up");
    return this.result;
  }
}

describe("notifications written by transitions", () => {
  beforeAll(loadDemoSeed);

  it("a transition to ready_for_pickup writes one pending sms with the pickup code and the order reference", async () => {
    const orderId = await readyForPickup();
    const rows = await notificationsOf(orderId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ template: "order-ready-for-pickup", state: "pending", channel: "sms", sent_at: null });
    expect(JSON.parse(rows[0]!.params)).toMatchObject({ orderId, pickupCode: "428613", reference: expect.any(String) });
  });

  it("approve and dispense tell the patient nothing", async () => {
    const orderId = await anOrder();
    await move(orderId, new Date(), ["approve"], ["dispense"]);
    expect(await notificationsOf(orderId)).toEqual([]);
  });
});

describe("sendPendingNotifications", () => {
  let warn: MockInstance<typeof console.warn>;
  beforeAll(loadDemoSeed);
  beforeEach(async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await drain();
  });
  afterEach(() => vi.restoreAllMocks());

  it("sends through the recording sender and marks the row sent at the run's time, once", async () => {
    const orderId = await readyForPickup();
    const [row] = await notificationsOf(orderId);
    const sender = new RecordingSender();
    const now = new Date("2026-11-25T08:00:00.000Z");
    const summary = await sendPendingNotifications(env, now, sender);
    expect(summary).toEqual({ attempted: 1, sent: 1, failed: 0, retrying: 0, alreadyMarked: 0 });
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.text).toContain("取药码 428613");
    // the site name comes from the order's pickup site: the desk passed only the code
    expect(sender.sent[0]!.text).toContain(SITE_NAME);
    expect((await notificationsOf(orderId))[0]).toMatchObject({ id: row!.id, state: "sent", sent_at: now.toISOString() });

    const again = new RecordingSender();
    expect(await sendPendingNotifications(env, new Date(), again)).toMatchObject({ attempted: 0, sent: 0 });
    expect(again.sent).toEqual([]);
  });

  it("works with the default sender (the cron's call)", async () => {
    const orderId = await readyForPickup();
    expect(await sendPendingNotifications(env, new Date())).toMatchObject({ sent: 1 });
    expect((await notificationsOf(orderId))[0]?.state).toBe("sent");
  });

  it("renders rejection and shipping messages from the order's columns", async () => {
    const rejected = await anOrder();
    await move(rejected, new Date(), ["reject", { changes: { rejectReason: "inappropriate.interaction" }, note: "与华法林相互作用" }]);
    const shipped = await anOrder("delivery");
    await move(shipped, new Date(), ["approve"], ["dispense"], ["ship", { changes: { carrier: "顺丰速运", trackingNo: "SF1234567890" } }], ["deliver"]);
    const sender = new RecordingSender();
    expect(await sendPendingNotifications(env, new Date(), sender)).toMatchObject({ attempted: 3, sent: 3 });
    const texts = sender.sent.map((m) => [m.template, m.text]);
    expect(texts).toEqual([
      ["order-rejected", expect.stringMatching(/用药不适宜.*请联系您的医生/)],
      ["order-shipped", expect.stringMatching(/顺丰速运.*SF1234567890/)],
      ["order-delivered", expect.stringContaining("已送达")],
    ]);
    // the pharmacist's note to the doctor never reaches the patient
    expect(sender.sent[0]!.text).not.toContain("华法林");
  });

  it("marks a permanent failure failed, without sentAt, and never retries it", async () => {
    const orderId = await readyForPickup();
    const sender = new FailingSender({ ok: false, error: "invalid phone number", permanent: true });
    expect(await sendPendingNotifications(env, new Date(), sender)).toEqual({ attempted: 1, sent: 0, failed: 1, retrying: 0, alreadyMarked: 0 });
    expect((await notificationsOf(orderId))[0]).toMatchObject({ state: "failed", sent_at: null });
    const later = new RecordingSender();
    await sendPendingNotifications(env, new Date(), later);
    expect(later.sent).toEqual([]);
  });

  it("leaves a transient failure (or a sender that throws) pending, and the next run sends it", async () => {
    const orderId = await readyForPickup();
    for (const failing of [new FailingSender({ ok: false, error: "rate limited", permanent: false }), new FailingSender("throw")]) {
      expect(await sendPendingNotifications(env, new Date(), failing)).toEqual({ attempted: 1, sent: 0, failed: 0, retrying: 1, alreadyMarked: 0 });
      expect(failing.calls).toBe(1);
      expect((await notificationsOf(orderId))[0]?.state).toBe("pending");
    }
    // the warning names the row, not the patient or the message
    const logged = warn.mock.calls.map((c) => String(c[0])).join("\n");
    expect(logged).not.toMatch(/428613|pat-ntf/);
    const sender = new RecordingSender();
    expect(await sendPendingNotifications(env, new Date(), sender)).toMatchObject({ sent: 1 });
    expect((await notificationsOf(orderId))[0]?.state).toBe("sent");
  });

  it("gives up on a transiently failing notification older than 72 hours", async () => {
    const created = new Date("2026-11-01T00:00:00.000Z");
    const orderId = await readyForPickup(created);
    const transient = new FailingSender({ ok: false, error: "timeout", permanent: false });
    const within = new Date(created.getTime() + 71 * 3_600_000);
    expect(await sendPendingNotifications(env, within, transient)).toMatchObject({ retrying: 1, failed: 0 });
    const past = new Date(created.getTime() + 73 * 3_600_000);
    expect(await sendPendingNotifications(env, past, transient)).toMatchObject({ retrying: 0, failed: 1 });
    expect((await notificationsOf(orderId))[0]?.state).toBe("failed");
  });

  it("sends oldest first and at most `limit` per run", async () => {
    const older = await readyForPickup(new Date("2026-11-02T00:00:00.000Z"));
    const newer = await readyForPickup(new Date("2026-11-01T00:00:00.000Z"));
    const sender = new RecordingSender();
    expect(await sendPendingNotifications(env, new Date(), sender, 1)).toMatchObject({ attempted: 1, sent: 1 });
    // "newer" was created with the earlier clock: it is the older notification
    expect(sender.sent.map((m) => m.id)).toEqual([`ntf_${newer}_ready_for_pickup`]);
    expect((await notificationsOf(older))[0]?.state).toBe("pending");
  });

  it("two overlapping runs mark each row exactly once (delivery itself is at least once)", async () => {
    const ids = [await readyForPickup(), await readyForPickup(), await readyForPickup()];
    const [a, b] = [new RecordingSender(), new RecordingSender()];
    const [sa, sb] = await Promise.all([sendPendingNotifications(env, new Date(), a), sendPendingNotifications(env, new Date(), b)]);
    expect(sa.sent + sb.sent).toBe(3);
    expect(sa.failed + sb.failed + sa.retrying + sb.retrying).toBe(0);
    // a row both runs sent is counted as sent by one and alreadyMarked by the other
    expect(sa.alreadyMarked + sb.alreadyMarked).toBe(a.sent.length + b.sent.length - 3);
    for (const id of ids) expect((await notificationsOf(id))[0]?.state).toBe("sent");
    const third = new RecordingSender();
    await sendPendingNotifications(env, new Date(), third);
    expect(third.sent).toEqual([]);
  });

  it("a sender of another channel leaves sms rows alone", async () => {
    const orderId = await readyForPickup();
    const wechat = new RecordingSender("wechat");
    expect(await sendPendingNotifications(env, new Date(), wechat)).toMatchObject({ attempted: 0 });
    expect((await notificationsOf(orderId))[0]?.state).toBe("pending");
  });
});

describe("GET /notifications?orderId=", () => {
  beforeAll(loadDemoSeed);
  afterEach(() => vi.restoreAllMocks());

  it("shows an admin and the order's pharmacist the notifications, the pickup code masked", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const orderId = await readyForPickup();
    const now = new Date();
    await sendPendingNotifications(env, now, new RecordingSender());
    for (const token of [await asAdmin(), await asPharmacist()]) {
      const res = await api<OrderNotificationList>("GET", `/notifications?orderId=${orderId}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          id: `ntf_${orderId}_ready_for_pickup`,
          orderId,
          channel: "sms",
          template: "order-ready-for-pickup",
          state: "sent",
          params: { orderId, reference: expect.any(String), pickupCode: "******" },
          preview: expect.stringContaining(`取药码 ****** 到${SITE_NAME}`),
          createdAt: expect.any(String),
          sentAt: now.toISOString(),
        },
      ]);
      expect(JSON.stringify(res.body)).not.toContain("428613");
    }
  });

  it("lists nothing for an order that told the patient nothing yet", async () => {
    const orderId = await anOrder();
    const res = await api<OrderNotificationList>("GET", `/notifications?orderId=${orderId}`, { token: await asAdmin() });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});

describe("the prescribing doctor's inbox and the desk's notices", () => {
  beforeAll(loadDemoSeed);
  afterEach(() => vi.restoreAllMocks());

  it("writes a rejection to the prescriber's inbox (sent, with the reason's label) that no SMS run ever sends", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    await drain();
    const orderId = await anOrder();
    const res = await api("POST", `/orders/${orderId}/review`, {
      token: await asPharmacist(),
      body: { decision: "reject", reasonCode: "inappropriate.dosage", note: "剂量偏大，请核对" },
    });
    expect(res.status).toBe(200);
    const rows = await env.DB.prepare("SELECT channel, recipient_id, template, state, params FROM notifications WHERE order_id = ? ORDER BY channel").bind(orderId).all<{
      channel: string;
      recipient_id: string | null;
      template: string;
      state: string;
      params: string;
    }>();
    expect(rows.results.map((r) => [r.channel, r.recipient_id, r.template, r.state])).toEqual([
      ["inbox", "doc-shimen-gp-intermediate", "doctor-order-rejected", "sent"],
      ["sms", null, "order-rejected", "pending"],
    ]);
    const inbox = JSON.parse(rows.results[0]?.params ?? "{}");
    expect(inbox).toMatchObject({ reasonCode: "inappropriate.dosage", reasonLabel: "用法、用量不适宜", note: "剂量偏大，请核对" });
    expect(renderNotification("doctor-order-rejected", inbox)).toContain("原因：用法、用量不适宜（备注：剂量偏大，请核对）");

    for (const channel of ["sms", "wechat"] as const) {
      const sender = new RecordingSender(channel);
      await sendPendingNotifications(env, new Date(), sender, 500);
      expect(sender.sent.map((m) => m.template)).not.toContain("doctor-order-rejected");
    }
    // the SMS went, the doctor's notice is unchanged
    const after = await env.DB.prepare("SELECT channel, state, sent_at FROM notifications WHERE order_id = ? ORDER BY channel").bind(orderId).all<{ channel: string; state: string }>();
    expect(after.results.map((r) => [r.channel, r.state])).toEqual([
      ["inbox", "sent"],
      ["sms", "sent"],
    ]);
  });

  it("sends the desk's partial-dispense and awaiting-stock notices as short SMS without drug names", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    await drain();
    const { orderId } = await anOrderAwaitingStock();
    const sender = new RecordingSender();
    await sendPendingNotifications(env, new Date(), sender, 500);
    const mine = sender.sent.filter((m) => m.id.includes(orderId));
    expect(mine.map((m) => [m.template, m.text])).toEqual([
      ["order-partial-dispense", expect.stringMatching(/^【药联】您的处方中部分药品暂时缺货/)],
      ["order-ready-for-pickup", expect.stringMatching(/^【药联】您的药品已备好，请凭取药码 \d{6} 到石门乡卫生院便民取药窗口取药/)],
      ["order-awaiting-stock", expect.stringMatching(/^【药联】您已领取部分药品，其余药品暂时缺货/)],
    ]);
    for (const m of mine) {
      expect(m.text).not.toMatch(/氨氯地平|二甲双胍/);
      expect(m.text.length).toBeLessThanOrEqual(70);
    }
  });
});
