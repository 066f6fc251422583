import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type DemoPrescription, demoPrescriptionStatements } from "../../seeds/demo-history";
import { nemlSeed } from "../../seeds/neml/convert";
import csvText from "../../seeds/neml-2026/varieties.csv?raw";
import { prepare } from "../../worker/db/bulk";
import { getDb } from "../../worker/db/index";
import { prescribingIndicatorsReport } from "../../worker/reports/indicators.service";
import type { PrescribingIndicatorsReport } from "../../worker/reports/reports.schemas";
import { getSigner } from "../../worker/signing/signer";
import { AMLODIPINE, AMOXICILLIN, METFORMIN } from "../builders/prescriptions";
import { api, asAdmin } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

/** 尼莫地平注射液 (iv): an injection a township doctor may prescribe. */
const NIMODIPINE_INJECTION = "W105-05";

const FENGLIN = { prescriberId: "doc-fenglin-village", prescriberTitle: "junior", institutionId: "inst-fenglin", institutionLevel: "village" } as const;
const XIKOU = { prescriberId: "doc-xikou-village", prescriberTitle: "junior", institutionId: "inst-xikou", institutionLevel: "village" } as const;
const SHIMEN = { prescriberId: "doc-shimen-gp-intermediate", prescriberTitle: "intermediate", institutionId: "inst-shimen", institutionLevel: "primary" } as const;

let n = 0;
function rx(who: typeof FENGLIN | typeof XIKOU | typeof SHIMEN, date: string, codes: string[]): DemoPrescription {
  n++;
  return {
    ...who,
    id: `rx_ind_${n}`,
    patientId: `pat-ind-${n}`,
    kind: "normal",
    writtenAt: `${date}T02:00:00.000Z`,
    date,
    days: 7,
    status: "completed",
    diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
    items: codes.map((drugCode) => ({ drugCode, dose: { value: 1, unit: "片" }, frequency: "qd", days: 7, packages: 1 })),
    longTerm: null,
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
  };
}

async function report(query: string): Promise<PrescribingIndicatorsReport> {
  const res = await api<PrescribingIndicatorsReport>("GET", `/reports/prescribing-indicators?${query}`, { token: await asAdmin() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("GET /reports/prescribing-indicators", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const { entries } = nemlSeed(csvText);
    const signer = await getSigner(env);
    const june = [
      rx(FENGLIN, "2024-06-03", [AMLODIPINE, METFORMIN]),
      rx(FENGLIN, "2024-06-10", [AMOXICILLIN]),
      rx(XIKOU, "2024-06-12", [AMLODIPINE]),
      rx(XIKOU, "2024-06-13", [AMLODIPINE, AMOXICILLIN]), // cancelled below: not an encounter
      rx(SHIMEN, "2024-06-20", [NIMODIPINE_INJECTION]),
      rx(SHIMEN, "2024-07-01", [AMOXICILLIN]), // 1 July China time: outside June
    ];
    const statements = [];
    for (const r of june) statements.push(...(await demoPrescriptionStatements(signer, entries, 1, r)).statements);
    // 氨氯地平 is a 集采 product in the current version, the one signed against (flagged before
    // signing: a version's flags never change once signed against, edits make a new version)
    await env.DB.prepare("UPDATE formulary_entries SET vbp = 1 WHERE code = ?").bind(AMLODIPINE).run();
    await env.DB.batch(statements.map((s) => prepare(env.DB, s)));
    await env.DB.batch([
      env.DB.prepare("UPDATE prescriptions SET status = 'cancelled', cancelled_at = created_at WHERE id = ?").bind(june[3]!.id),
      // 二甲双胍 was essential when signed (version 1) and is not any more (version 2): last month's figures must not change
      env.DB.prepare("UPDATE formulary_entry_versions SET snapshot = json_object('essential', json('true'), 'vbp', json('false'), 'antimicrobial', NULL, 'route', 'oral') WHERE code = ? AND version = 1").bind(METFORMIN),
      env.DB.prepare("UPDATE formulary_entries SET essential = 0, version = 2 WHERE code = ?").bind(METFORMIN),
    ]);
  });

  it("computes the indicators per institution from the signed content, with the entry as of its signed version", async () => {
    const r = await report("month=2024-06");
    expect(r).toMatchObject({ from: "2024-06-01", to: "2024-06-30", level: null, institutionId: null });
    const fenglin = r.institutions.find((i) => i.key === "inst-fenglin");
    expect(fenglin).toEqual({
      key: "inst-fenglin",
      label: "石门乡枫林村卫生室",
      level: "village",
      prescriptions: 2,
      items: 3,
      drugsPerPrescription: 1.5,
      antimicrobialShare: 0.5,
      injectionShare: 0,
      essentialShare: 1,
      genericShare: 1,
      vbpShare: 0.3333,
    });
    expect(r.institutions.find((i) => i.key === "inst-xikou")).toMatchObject({ prescriptions: 1, items: 1, antimicrobialShare: 0, vbpShare: 1 });
    expect(r.institutions.find((i) => i.key === "inst-shimen")).toMatchObject({ prescriptions: 1, injectionShare: 1, antimicrobialShare: 0 });
    // every member institution listed, zero-filled
    expect(r.institutions.find((i) => i.key === "inst-county")).toMatchObject({ prescriptions: 0, drugsPerPrescription: 0 });
    expect(r.total).toMatchObject({ prescriptions: 4, items: 5 });
  });

  it("gives each institution its level's quartiles and each doctor the consortium's", async () => {
    const r = await report("month=2024-06");
    // village institutions that prescribed: 1.5 and 1 drugs per prescription
    expect(r.peers.institutionsByLevel.village).toMatchObject({ count: 2, drugsPerPrescription: { p25: 1.125, p50: 1.25, p75: 1.375 } });
    expect(r.peers.institutionsByLevel.primary).toMatchObject({ count: 1, injectionShare: { p25: 1, p50: 1, p75: 1 } });
    expect(r.peers.institutionsByLevel.secondary?.count).toBe(0);
    expect(r.peers.doctors.count).toBe(3);
    expect(r.doctors.map((d) => [d.key, d.prescriptions])).toEqual([
      ["doc-fenglin-village", 2],
      ["doc-shimen-gp-intermediate", 1],
      ["doc-xikou-village", 1],
    ]);
  });

  it("narrows the rows to a level, never the peers: 'how did our village clinics do last month?'", async () => {
    const r = await report("month=2024-06&level=village");
    expect(r.level).toBe("village");
    expect(r.institutions.map((i) => i.key).sort()).toEqual(["inst-fenglin", "inst-xikou"]);
    expect(r.doctors.map((d) => d.key).sort()).toEqual(["doc-fenglin-village", "doc-xikou-village"]);
    expect(r.total).toMatchObject({ prescriptions: 3, items: 4, drugsPerPrescription: 1.33 });
    expect(r.peers.doctors.count).toBe(3);

    const one = await report("from=2024-06-01&to=2024-06-30&institutionId=inst-shimen");
    expect(one.institutions.map((i) => i.key)).toEqual(["inst-shimen"]);
    expect(one.total).toMatchObject({ prescriptions: 1, injectionShare: 1 });
  });

  it("answers in one D1 round trip", async () => {
    const counter = countingD1(env.DB);
    const r = await prescribingIndicatorsReport({ db: getDb(counter.db), now: new Date() }, { month: "2024-06", level: "village" });
    expect(r.total.prescriptions).toBe(3);
    expect(counter.count()).toBe(1);
  });
});
