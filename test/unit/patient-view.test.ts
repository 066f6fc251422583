import { describe, expect, it } from "vitest";
import { maskName, maskPhone } from "../../worker/members/patient-view";

describe("a patient's name in a work list, masked as a 叫号屏 shows it", () => {
  it.each([
    ["three characters: the middle one hidden", "郑秀梅", "郑*梅"],
    ["two characters: the given name hidden", "张三", "张*"],
    ["a compound surname: all but the first and last hidden", "欧阳春娜", "欧**娜"],
    ["one character", "李", "李*"],
    ["spaces around the name are not characters", " 王小明 ", "王*明"],
    ["a character outside the BMP counts as one, and is not split", "𠮷田花", "𠮷*花"],
  ])("%s", (_what, name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it("answers null for no name or an empty one", () => {
    expect(maskName(null)).toBeNull();
    expect(maskName("  ")).toBeNull();
  });

  it("keeps the phone's first three and last four digits", () => {
    expect(maskPhone("13807312608")).toBe("138****2608");
  });
});
