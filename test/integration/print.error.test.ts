import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { auditRows, shimenDoctor } from "./follow-up-rx.fixtures";
import { ageText } from "../../worker/rules";

describe("printing: bad requests", () => {
  beforeAll(loadDemoSeed);

  it("an unknown prescription is a 404 problem, and leaves no audit row", async () => {
    const res = await api<{ code: string }>("GET", "/prescriptions/rx_unknown/print", { token: await shimenDoctor() });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe("not-found");
    expect(await auditRows("prescription", "rx_unknown")).toEqual([]);
  });

  it("an id longer than any id is a 400 problem", async () => {
    const res = await api<{ code: string }>("GET", `/prescriptions/${"x".repeat(65)}/print`, { token: await shimenDoctor() });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation-failed");
  });
});

describe("the age a prescription states", () => {
  it.each([
    ["1958-03-14", "2026-12-05", "68岁"],
    ["1958-12-05", "2026-12-05", "68岁"],
    ["1958-12-06", "2026-12-05", "67岁"],
    ["2025-12-05", "2026-12-05", "1岁"],
    ["2025-12-06", "2026-12-05", "11月"],
    ["2026-04-05", "2026-12-05", "8月"],
    ["2026-11-05", "2026-12-05", "1月"],
    ["2026-11-06", "2026-12-05", "29天"],
    ["2026-11-15", "2026-12-05", "20天"],
    ["2026-12-05", "2026-12-05", "0天"],
    ["2024-02-29", "2025-02-28", "11月"],
    ["2024-02-29", "2025-03-01", "1岁"],
  ])("born %s, written %s: %s", (birth, on, text) => {
    expect(ageText(birth, on)).toBe(text);
  });
});
