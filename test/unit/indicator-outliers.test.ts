import { describe, expect, it } from "vitest";
import { CHART_LIMIT, chartedRows } from "../../worker/ui/browser/pages/indicator-outliers";

const doctor = (i: number, over: Partial<Record<"prescriptions" | "antimicrobialShare" | "essentialShare", number>> = {}) => ({
  label: `医师${String(i).padStart(3, "0")}`,
  prescriptions: 10,
  drugsPerPrescription: 2,
  antimicrobialShare: i / 100,
  injectionShare: 0,
  essentialShare: 1 - i / 100,
  genericShare: 1,
  vbpShare: 0.5,
  ...over,
});

describe("the doctors the prescribing-indicator chart draws", () => {
  it("draws everyone who prescribed when they fit, in the order given, and leaves out who did not", () => {
    const rows = [doctor(3), doctor(1, { prescriptions: 0 }), doctor(2)];
    expect(chartedRows(rows, "antimicrobialShare")).toEqual({ rows: [rows[0], rows[2]], of: 2, cut: false });
  });

  it("keeps the highest antibiotic shares of 300 doctors: a high share is the concern", () => {
    const rows = Array.from({ length: 300 }, (_, i) => doctor(i));
    const charted = chartedRows(rows, "antimicrobialShare");
    expect(charted.cut).toBe(true);
    expect(charted.of).toBe(300);
    expect(charted.rows).toHaveLength(CHART_LIMIT);
    expect(charted.rows.map((r) => r.antimicrobialShare)).toEqual(Array.from({ length: CHART_LIMIT }, (_, i) => (299 - i) / 100));
  });

  it("keeps the lowest essential-drug shares: a low share is the concern", () => {
    const rows = Array.from({ length: 300 }, (_, i) => doctor(i));
    expect(chartedRows(rows, "essentialShare").rows[0]?.label).toBe("医师299");
  });

  it("breaks ties by name, so a reload draws the same chart", () => {
    const rows = Array.from({ length: 30 }, (_, i) => doctor(29 - i, { antimicrobialShare: 0.5 }));
    expect(chartedRows(rows, "antimicrobialShare", 3).rows.map((r) => r.label)).toEqual(["医师000", "医师001", "医师002"]);
  });
});
