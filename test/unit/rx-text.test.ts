import { describe, expect, it } from "vitest";
import { chinaDate, cornerMark, daysAgo, isChildAge, reasonText } from "../../worker/ui/browser/pages/rx-text";
import { date, minutesText, time } from "../../worker/ui/browser/lib/format";

describe("the kind in the corner of a printed 处方笺", () => {
  it.each([
    ["an adult's normal prescription", "normal", "68岁", "normal"],
    ["13 years: still paediatrics", "normal", "13岁", "pediatric"],
    ["14 years: no longer", "normal", "14岁", "normal"],
    ["an infant in months", "normal", "8月", "pediatric"],
    ["a newborn in days", "normal", "20天", "pediatric"],
    ["years and months", "normal", "1岁3月", "pediatric"],
    ["a child's emergency stays 急诊", "emergency", "6岁", "emergency"],
    ["a long prescription stays 长期处方", "long_term", "68岁", "long_term"],
  ] as const)("%s", (_name, kind, age, mark) => {
    expect(cornerMark(kind, age)).toBe(mark);
  });

  it("reads an unreadable age as an adult's (no 儿科 mark on a guess)", () => {
    expect(isChildAge("")).toBe(false);
    expect(isChildAge("unknown")).toBe(false);
  });
});

describe("a pharmacist's reason in words", () => {
  it.each([
    ["a 处方点评 code", "inappropriate.dosage", "用法、用量不适宜"],
    ["a return code", "out_of_stock_long", "长期缺货"],
    ["a return code with its free text", "other: 患者已转院", "其他原因：患者已转院"],
    ["words stay words", "用法、用量不适宜", "用法、用量不适宜"],
    ["an unknown code-like text stays as written", "no_such_code", "no_such_code"],
  ])("%s", (_name, reason, text) => {
    expect(reasonText(reason)).toBe(text);
  });

  it("has nothing to say without a reason", () => {
    expect(reasonText(null)).toBeNull();
    expect(reasonText("  ")).toBeNull();
  });
});

describe("dates in China", () => {
  it("dates an instant where the prescription was written", () => {
    expect(chinaDate("2026-12-05T17:30:00.000Z")).toBe("2026-12-06");
    expect(chinaDate("2026-12-05T15:59:00.000Z")).toBe("2026-12-05");
    expect(chinaDate("2026-12-05")).toBe("2026-12-05");
  });

  it("counts days by China dates", () => {
    const now = new Date("2026-12-06T01:00:00.000Z"); // 09:00 on the 6th in China
    expect(daysAgo("2026-12-05T17:30:00.000Z", now)).toBe(0);
    expect(daysAgo("2026-12-05T15:00:00.000Z", now)).toBe(1);
  });
});

describe("times on the pages", () => {
  it("are China time whatever the PC's zone (the e2e browsers run on UTC)", () => {
    // 2026-12-05 23:30 UTC is 07:30 on the 6th in China
    expect(time("2026-12-05T23:30:00Z")).toBe("2026-12-06 07:30");
    expect(date("2026-12-05T23:30:00Z")).toBe("2026-12-06");
    expect(date("2026-12-05")).toBe("2026-12-05");
    expect(time("not a time")).toBe("not a time");
  });
});

describe("a span of minutes as the desk shows how late a review is", () => {
  it.each([
    [0, "0 分钟"],
    [45, "45 分钟"],
    [59.9, "59 分钟"],
    [60, "1 小时"],
    [441, "7 小时 21 分钟"],
    [1440, "1 天"],
    [3062, "2 天 3 小时"],
    [-5, "0 分钟"],
  ])("%d minutes: %s", (minutes, text) => {
    expect(minutesText(minutes)).toBe(text);
  });
});
