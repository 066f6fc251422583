import { describe, expect, it } from "vitest";
import { countUnit, doseInWords, frequencyWords, piecesPerDose } from "../../worker/ui/dose-words";

describe("doseInWords (dispensing labels)", () => {
  it.each([
    ["amlodipine 5 mg of a 5 mg tablet", { value: 5, unit: "mg" }, { form: "片剂", strength: { value: 5, unit: "mg" } }, "每次 1 片"],
    ["metformin 0.5 g of a 0.5 g tablet", { value: 0.5, unit: "g" }, { form: "片剂", strength: { value: 0.5, unit: "g" } }, "每次 1 片"],
    ["0.5 g of a 250 mg tablet (units converted)", { value: 0.5, unit: "g" }, { form: "片剂", strength: { value: 250, unit: "mg" } }, "每次 2 片"],
    ["half a tablet", { value: 2.5, unit: "mg" }, { form: "片剂(苯磺酸盐)", strength: { value: 5, unit: "mg" } }, "每次 0.5 片"],
    ["a quarter tablet", { value: 6.25, unit: "mg" }, { form: "片剂", strength: { value: 25, unit: "mg" } }, "每次 0.25 片"],
    ["sustained-release tablet", { value: 30, unit: "mg" }, { form: "缓释片", strength: { value: 30, unit: "mg" } }, "每次 1 片"],
    ["capsules count in 粒", { value: 40, unit: "mg" }, { form: "胶囊", strength: { value: 20, unit: "mg" } }, "每次 2 粒"],
    ["µg strengths", { value: 0.1, unit: "mg" }, { form: "片剂", strength: { value: 50, unit: "µg" } }, "每次 2 片"],
    ["not whole quarters: the amount instead", { value: 0.3, unit: "g" }, { form: "片剂", strength: { value: 0.5, unit: "g" } }, "每次 0.3 克"],
    ["a form not counted in pieces", { value: 10, unit: "ml" }, { form: "口服溶液剂", strength: { value: 5, unit: "ml" } }, "每次 10 毫升"],
    ["no strength known", { value: 0.5, unit: "g" }, { form: "片剂", strength: null }, "每次 0.5 克"],
    ["mass against volume", { value: 5, unit: "mg" }, { form: "片剂", strength: { value: 5, unit: "ml" } }, "每次 5 毫克"],
    ["a unit already in words", { value: 2, unit: "滴" }, {}, "每次 2 滴"],
    ["units written in capitals", { value: 5, unit: "MG" }, { form: "片剂", strength: { value: 5, unit: "mg" } }, "每次 1 片"],
  ])("%s", (_name, dose, drug, text) => {
    expect(doseInWords(dose, drug)).toBe(text);
  });

  it("tells the counting unit of a form", () => {
    expect(countUnit("片剂")).toBe("片");
    expect(countUnit("肠溶胶囊")).toBe("粒");
    expect(countUnit("注射液")).toBeNull();
    expect(countUnit(null)).toBeNull();
  });

  it("refuses zero and negative amounts", () => {
    expect(piecesPerDose({ value: 0, unit: "mg" }, { value: 5, unit: "mg" })).toBeNull();
    expect(piecesPerDose({ value: 5, unit: "mg" }, { value: 0, unit: "mg" })).toBeNull();
  });
});

describe("frequencyWords", () => {
  it("says the frequency without its abbreviation", () => {
    expect(frequencyWords("qd")).toBe("每日一次");
    expect(frequencyWords("bid")).toBe("每日两次");
    expect(frequencyWords("xyz")).toBe("xyz");
  });
});
