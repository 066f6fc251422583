import { beforeAll, describe, expect, it } from "vitest";
import type { Inbox, InboxItem } from "../../worker/prescriptions/inbox.schemas";
import { listInbox, markInboxDone } from "../../worker/prescriptions/inbox.service";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aVbpAmlodipine, anOrderInReview, decline, proposed } from "./change-requests.fixtures";
import { countedCtx, shimenDoctor } from "./follow-up-rx.fixtures";
import { anExpiredPrescription, aRejectedPrescription, aReturnedPrescription, draftOf, signDraft } from "./replaces.fixtures";

async function inbox(state = "open") {
  const res = await api<Inbox>("GET", `/inbox?state=${state}&limit=100`, { token: await shimenDoctor() });
  expect(res.status).toBe(200);
  return res.body;
}

const about = (body: Inbox, orderId: string) => body.items.filter((i) => i.orderId === orderId);

describe("the doctor's inbox", () => {
  let vbp = "";
  beforeAll(async () => {
    await loadDemoSeed();
    vbp = await aVbpAmlodipine();
  });

  it("lists a rejection with the pharmacist's reason and note, newest first, as actionable", async () => {
    const { rx, orderId } = await aRejectedPrescription();
    const body = await inbox();
    expect(about(body, orderId)).toEqual([
      {
        id: expect.any(String),
        kind: "rejected",
        template: "doctor-order-rejected",
        orderId,
        prescriptionId: rx.id,
        patientId: rx.patientId,
        patientName: "药联测试",
        createdAt: expect.any(String),
        doneAt: null,
        reason: expect.any(String),
        note: "剂量请核对",
        actionable: true,
      },
    ]);
    expect(body.items[0]?.orderId).toBe(orderId);
    expect(body.open).toBe(body.items.length);
  });

  it("says why a return and an expiry came back", async () => {
    const returned = await aReturnedPrescription();
    const expired = await anExpiredPrescription();
    const body = await inbox();
    expect(about(body, returned.orderId)).toEqual([expect.objectContaining({ kind: "returned", reason: expect.stringContaining("out_of_stock_long"), actionable: true })]);
    expect(about(body, expired.orderId)).toEqual([expect.objectContaining({ kind: "expired", reason: "未在 7 天内取药", actionable: true })]);
  });

  it("a change request is actionable while it is open", async () => {
    const { orderId } = await anOrderInReview();
    const cr = await proposed(orderId, [{ index: 0, drugCode: vbp }]);
    const open = about(await inbox(), orderId);
    expect(open).toEqual([expect.objectContaining({ kind: "change_requested", changeRequestId: cr.id, note: "集采中选产品替换", actionable: true })]);
    expect((await decline(cr.id)).status).toBe(200);
    expect(about(await inbox(), orderId)).toEqual([expect.objectContaining({ kind: "change_requested", actionable: false })]);
  });

  it("marks a notice done, once: it leaves the open list, shows under done, a second call answers the same", async () => {
    const { orderId } = await aRejectedPrescription();
    const [notice] = about(await inbox(), orderId);
    const before = (await inbox()).open;
    const first = await api<InboxItem>("POST", `/inbox/${notice?.id}/done`, { token: await shimenDoctor() });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: notice?.id, doneAt: expect.any(String), actionable: true });
    const again = await api<InboxItem>("POST", `/inbox/${notice?.id}/done`, { token: await shimenDoctor() });
    expect(again.body).toEqual(first.body);
    expect(about(await inbox(), orderId)).toEqual([]);
    expect((await inbox()).open).toBe(before - 1);
    expect(about(await inbox("done"), orderId)).toEqual([first.body]);
    expect(about(await inbox("all"), orderId)).toEqual([first.body]);
  });

  it("replacing the prescription marks its notices done and nothing is left to do", async () => {
    const { rx, orderId } = await aRejectedPrescription();
    const { body } = await draftOf(rx.id);
    expect((await signDraft(body.draft)).status).toBe(201);
    expect(about(await inbox(), orderId)).toEqual([]);
    expect(about(await inbox("done"), orderId)).toEqual([expect.objectContaining({ kind: "rejected", doneAt: expect.any(String), actionable: false })]);
  });

  it("costs one round trip to list and one to mark done", async () => {
    const { orderId } = await aRejectedPrescription();
    const listing = await countedCtx();
    const listed = await listInbox(listing.ctx, { state: "open", limit: 50 });
    expect(listing.trips()).toBe(1);
    const marking = await countedCtx();
    await markInboxDone(marking.ctx, about(listed, orderId)[0]?.id ?? "");
    expect(marking.trips()).toBe(1);
  });
});
