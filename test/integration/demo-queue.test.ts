import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_QUEUE, demoQueueStatements } from "../../seeds/demo-queue";
import { nemlSeed } from "../../seeds/neml/convert";
import csvText from "../../seeds/neml-2026/varieties.csv?raw";
import { prepare } from "../../worker/db/bulk";
import { getSigner } from "../../worker/signing/signer";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

/** The desk's demo queue (npm start) holds prescriptions a doctor could really have signed. */
describe("the demo queue of the day", () => {
  beforeAll(loadDemoSeed);

  it.each(DEMO_QUEUE.map((e, i) => [i + 1, e] as const))("prescription %i validates without errors as its prescriber's draft", async (_n, entry) => {
    const { rx } = entry;
    const token = await tokenFor("doctor", rx.prescriberId, rx.institutionId);
    const draft = {
      patientId: rx.patientId,
      kind: rx.kind,
      diagnoses: rx.diagnoses,
      items: rx.items,
      ...(rx.longTerm ? { longTerm: rx.longTerm } : {}),
      fulfilment: rx.fulfilment,
    };
    const res = await api<{ valid: boolean; findings: { ruleId: string; severity: string }[] }>("POST", "/prescriptions/validate", { token, body: draft });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("loads as signed prescriptions that verify, with their orders in the cloud pharmacy's queue", async () => {
    const { entries } = nemlSeed(csvText);
    const statements = await demoQueueStatements(await getSigner(env), entries, 1, new Date());
    await env.DB.batch(statements.map((s) => prepare(env.DB, s)));
    const token = await tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud");
    const detail = await api<{ status: string; prescription: { verification: { contentHashValid: boolean; signatureValid: boolean } } }>("GET", "/orders/ord_demo_1_1", { token });
    expect(detail.status).toBe(200);
    expect(detail.body.prescription.verification).toMatchObject({ contentHashValid: true, signatureValid: true });
    const rows = await env.DB.prepare("SELECT id, status FROM orders WHERE id LIKE 'ord_demo_%' ORDER BY id").all<{ id: string; status: string }>();
    expect(rows.results).toEqual([
      { id: "ord_demo_1_1", status: "pending_review" },
      { id: "ord_demo_2_1", status: "approved" },
      { id: "ord_demo_3_1", status: "pending_review" },
      { id: "ord_demo_4_1", status: "pending_review" },
      { id: "ord_demo_5_1", status: "pending_review" },
      { id: "ord_demo_5_2", status: "scheduled" },
      { id: "ord_demo_5_3", status: "scheduled" },
    ]);
  });
});
