import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { QualificationRateReport } from "../../worker/reports/reports.schemas";
import { qualificationRateReport } from "../../worker/reports/reports.service";
import { api, asAdmin } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";

/**
 * 处方点评 results in the qualification report. The sampling and scoring are another
 * module's (worker/reviews); this file writes review_items rows as that module leaves them.
 */
type Outcome = "rational" | "non_standard" | "inappropriate" | "abnormal" | null;

let n = 0;
function item(month: string, institutionId: string, prescriberId: string, outcome: Outcome) {
  n++;
  return env.DB.prepare(
    `INSERT INTO review_items (sample_id, prescription_id, month, institution_id, prescriber_id, outcome, problems, reviewer_id, reviewed_at, version)
     VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, 1)`,
  ).bind(`rs-${month}-${institutionId}`, `rx_review_${n}`, month, institutionId, prescriberId, outcome, outcome ? "admin-county" : null, outcome ? `${month}-28T02:00:00.000Z` : null);
}

async function report(query: string): Promise<QualificationRateReport> {
  const res = await api<QualificationRateReport>("GET", `/reports/qualification-rate?${query}`, { token: await asAdmin() });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("GET /reports/qualification-rate: 处方点评 results", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    const fenglin = (o: Outcome) => item("2023-03", "inst-fenglin", "doc-fenglin-village", o);
    const shimen = (o: Outcome, month = "2023-03") => item(month, "inst-shimen", "doc-shimen-gp-intermediate", o);
    await env.DB.batch([
      fenglin("rational"),
      fenglin("rational"),
      fenglin("rational"),
      fenglin("non_standard"),
      fenglin(null), // sampled, not yet reviewed
      shimen("rational"),
      shimen("inappropriate"),
      shimen("abnormal", "2023-04"),
      shimen("rational", "2023-05"), // outside the period asked for below
    ]);
  });

  it("counts sampled, reviewed, rational and each category; 点评合格率 = rational / reviewed", async () => {
    const r = await report("from=2023-03-01&to=2023-04-30");
    expect(r.groups.find((g) => g.key === "inst-fenglin")?.review).toEqual({ sampled: 5, reviewed: 4, rational: 3, non_standard: 1, inappropriate: 0, abnormal: 0, rate: 0.75 });
    expect(r.groups.find((g) => g.key === "inst-shimen")?.review).toEqual({ sampled: 3, reviewed: 3, rational: 1, non_standard: 0, inappropriate: 1, abnormal: 1, rate: 1 / 3 });
    expect(r.total.review).toMatchObject({ sampled: 8, reviewed: 7, rational: 4 });
    // the review-time figures are untouched by 点评 rows
    expect(r.total.reviewed).toBe(0);
  });

  it("gives month × institution cells, and groups by month", async () => {
    const r = await report("from=2023-03-01&to=2023-04-30&groupBy=month");
    expect(r.groups.map((g) => [g.key, g.review.sampled, g.review.rational])).toEqual([
      ["2023-03", 7, 4],
      ["2023-04", 1, 0],
    ]);
    expect(r.cells.map((c) => [c.month, c.institutionId, c.institutionName, c.review.reviewed])).toEqual([
      ["2023-03", "inst-fenglin", "石门乡枫林村卫生室", 4],
      ["2023-03", "inst-shimen", "石门乡卫生院", 2],
      ["2023-04", "inst-shimen", "石门乡卫生院", 1],
    ]);
  });

  it("narrows to a level or one institution (month=YYYY-MM)", async () => {
    const village = await report("month=2023-03&level=village");
    expect(village.groups.map((g) => g.key).sort()).toEqual(["inst-fenglin", "inst-xikou"]);
    expect(village.total.review).toMatchObject({ sampled: 5, reviewed: 4, rate: 0.75 });
    const one = await report("month=2023-03&institutionId=inst-shimen");
    expect(one.groups.map((g) => g.key)).toEqual(["inst-shimen"]);
    expect(one.cells.map((c) => c.institutionId)).toEqual(["inst-shimen"]);
  });

  it("stays one D1 round trip", async () => {
    const counter = countingD1(env.DB);
    const r = await qualificationRateReport({ db: getDb(counter.db), now: new Date() }, { month: "2023-03", level: "village", groupBy: "month" });
    expect(r.total.review.sampled).toBe(5);
    expect(counter.count()).toBe(1);
  });
});
