import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import type { LongPrescriptionReport, OrdersByStateReport, QualificationRateReport, TurnaroundReport } from "../../worker/reports/reports.schemas";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const REPORTS = ["qualification-rate", "long-prescriptions", "orders-by-state", "turnaround"] as const;

async function get<T>(path: string) {
  return api<T>("GET", path, { token: await asAdmin() });
}

describe("report periods", () => {
  beforeAll(loadDemoSeed);

  it.each([
    ["from=2025-02-30", "query.from"],
    ["to=2025-13-01", "query.to"],
    ["from=20250101", "query.from"],
    ["from=yesterday", "query.from"],
    ["from=2025-03-01&to=2025-02-28", "query.from"],
    ["from=2024-01-01&to=2025-01-01", "query.to"],
  ])("answers %s with a 400 problem on %s, for every report", async (query, path) => {
    for (const name of REPORTS) {
      const res = await get<Problem>(`/reports/${name}?${query}`);
      expect(res.status, name).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.code).toBe("validation-failed");
      expect(res.body.issues?.map((i) => i.path)).toEqual([path]);
    }
  });

  it("accepts exactly 366 days", async () => {
    const res = await get<QualificationRateReport>("/reports/qualification-rate?from=2024-01-01&to=2024-12-31");
    expect(res.status).toBe(200);
  });

  it("refuses an unknown groupBy", async () => {
    const res = await get<Problem>("/reports/turnaround?groupBy=pharmacy");
    expect(res.status).toBe(400);
    expect(res.body.issues?.map((i) => i.path)).toEqual(["query.groupBy"]);
  });

  it("answers an empty period with zeros, every group listed", async () => {
    const q = "from=2020-01-01&to=2020-02-29";
    const quality = (await get<QualificationRateReport>(`/reports/qualification-rate?${q}`)).body;
    expect(quality.total).toEqual({ reviewed: 0, approved: 0, rejected: 0, rate: 0, rejectedByCategory: { non_standard: 0, inappropriate: 0, abnormal: 0, unspecified: 0 },
      review: { sampled: 0, reviewed: 0, rational: 0, non_standard: 0, inappropriate: 0, abnormal: 0, rate: 0 },
    });
    const institutions = await env.DB.prepare("SELECT id FROM institutions ORDER BY id").all<{ id: string }>();
    expect(quality.groups.map((g) => g.key)).toEqual(institutions.results.map((i) => i.id));
    expect(quality.groups.every((g) => g.reviewed === 0 && g.rate === 0)).toBe(true);

    const long = (await get<LongPrescriptionReport>(`/reports/long-prescriptions?${q}&groupBy=month`)).body;
    expect(long.groups.map((g) => g.key)).toEqual(["2020-01", "2020-02"]);
    expect(long.total).toEqual({ signed: 0, longTerm: 0, share: 0, longTermMeanDays: 0, longTermOver28Days: 0 });

    const turnaround = (await get<TurnaroundReport>(`/reports/turnaround?${q}`)).body;
    expect(turnaround.total).toEqual({ review: { count: 0, medianHours: 0, p90Hours: 0, meanHours: 0 }, fulfilment: { count: 0, medianHours: 0, p90Hours: 0, meanHours: 0 } });

    const states = (await get<OrdersByStateReport>(`/reports/orders-by-state?${q}`)).body;
    expect(states.total.total).toBe(0);
    expect(states.pharmacies.map((p) => p.pharmacyId)).toEqual(["pharm-cloud", "pharm-renhe"]);
  });

  it("defaults from to the first day of to's month", async () => {
    const res = await get<LongPrescriptionReport>("/reports/long-prescriptions?to=2024-02-29&groupBy=month");
    expect(res.body).toMatchObject({ from: "2024-02-01", to: "2024-02-29" });
    expect(res.body.groups.map((g) => g.key)).toEqual(["2024-02"]);
  });
});
