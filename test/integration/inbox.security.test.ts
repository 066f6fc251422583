import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Inbox } from "../../worker/prescriptions/inbox.schemas";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { cloudPharmacist } from "./desk.fixtures";
import { anAdmin, auditRows, impostorDoctor, shimenDoctor, shimenJunior } from "./follow-up-rx.fixtures";
import { aRejectedPrescription } from "./replaces.fixtures";

async function noticeOf(orderId: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM notifications WHERE order_id = ? AND channel = 'inbox'").bind(orderId).first<{ id: string }>();
  return row?.id ?? "";
}

describe("whose inbox", () => {
  beforeAll(loadDemoSeed);

  it("a colleague of the same institution neither sees nor marks the prescriber's notices (404), and nothing changes", async () => {
    const { orderId } = await aRejectedPrescription();
    const id = await noticeOf(orderId);
    const theirs = await api<Inbox>("GET", "/inbox?state=all&limit=100", { token: await shimenJunior() });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.filter((i) => i.orderId === orderId)).toEqual([]);
    const res = await api<{ code: string }>("POST", `/inbox/${id}/done`, { token: await shimenJunior() });
    expect([res.status, res.body.code]).toEqual([404, "not-found"]);
    const unknown = await api<{ code: string }>("POST", "/inbox/ntf_nope/done", { token: await shimenDoctor() });
    expect([unknown.status, unknown.body.code]).toEqual([404, "not-found"]);
    expect((await env.DB.prepare("SELECT done_at FROM notifications WHERE id = ?").bind(id).first<{ done_at: string | null }>())?.done_at).toBeNull();
    expect(await auditRows("notification", id)).toEqual([]);
  });

  it("doctors only (registered practitioners): pharmacists, admins and unregistered doctors 403, no token 401", async () => {
    const { orderId } = await aRejectedPrescription();
    const id = await noticeOf(orderId);
    for (const token of [await cloudPharmacist(), await anAdmin(), await impostorDoctor()]) {
      expect((await api("GET", "/inbox", { token })).status).toBe(403);
      expect((await api("POST", `/inbox/${id}/done`, { token })).status).toBe(403);
    }
    expect((await api("GET", "/inbox")).status).toBe(401);
    expect((await api("POST", `/inbox/${id}/done`)).status).toBe(401);
  });

  it("a done notice is audited with the doctor, naming no patient", async () => {
    const { orderId } = await aRejectedPrescription();
    const id = await noticeOf(orderId);
    expect((await api("POST", `/inbox/${id}/done`, { token: await shimenDoctor() })).status).toBe(200);
    expect(await auditRows("notification", id)).toEqual([{ action: "inbox.done", actor_id: "doc-shimen-gp-intermediate", after: null }]);
  });

  it("rejects a bad state (400 problem)", async () => {
    const res = await api<{ code: string }>("GET", "/inbox?state=everything", { token: await shimenDoctor() });
    expect([res.status, res.body.code]).toEqual([400, "validation-failed"]);
  });
});
