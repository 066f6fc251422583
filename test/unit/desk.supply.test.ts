import { describe, expect, it } from "vitest";
import type { OrderItem } from "../../schema/orders";
import { dispenseRound, handOverRound, isPartial, isValidExpiry, itemProgress, lastUsableDay, roundKey } from "../../worker/pharmacy/desk/supply";

const ITEMS: OrderItem[] = [
  { drugCode: "W185-01", genericName: "氨氯地平", packages: 1 },
  { drugCode: "W315-05", genericName: "二甲双胍", packages: 14 },
];
const line = (index: number, packages: number) => ({ index, packages, lotNo: "L1", expiry: "2099-12" });

describe("dispenseRound", () => {
  it.each([
    ["everything", [line(0, 1), line(1, 14)], [1, 14], 15],
    ["one item held (left out)", [line(0, 1)], [1, 0], 1],
    ["one item held (0 packages)", [line(0, 1), line(1, 0)], [1, 0], 1],
    ["two lots of one item", [line(1, 8), line(1, 6)], [0, 14], 14],
    ["part of an item", [line(1, 5)], [0, 5], 5],
  ])("dispenses %s", (_name, lines, dispensed, total) => {
    const result = dispenseRound(ITEMS, lines);
    expect(result).toEqual({ items: ITEMS.map((item, i) => ({ ...item, dispensed: dispensed[i] })), total });
  });

  it.each([
    ["one package over", [line(0, 2)], [{ path: "items.0.packages", message: "2 package(s) of item 0 dispensed, only 1 remain to supply" }]],
    ["two lots together over", [line(1, 8), line(1, 7)], [{ path: "items.0.packages", message: "15 package(s) of item 1 dispensed, only 14 remain to supply" }]],
    ["an unknown item", [line(2, 1)], [{ path: "items.0.index", message: "the order has no item 2 (it has 2)" }]],
    ["nothing", [line(0, 0), line(1, 0)], [{ path: "items", message: expect.stringContaining("nothing to dispense") }]],
  ])("refuses %s", (_name, lines, problems) => {
    expect(dispenseRound(ITEMS, lines)).toEqual({ problems });
  });

  it("counts against what remains after earlier hand-overs", () => {
    const supplied: OrderItem[] = [
      { ...ITEMS[0]!, supplied: 1 },
      { ...ITEMS[1]!, supplied: 10 },
    ];
    expect(dispenseRound(supplied, [line(1, 4)])).toMatchObject({ total: 4 });
    expect(dispenseRound(supplied, [line(1, 5)])).toMatchObject({ problems: [{ path: "items.0.packages" }] });
    expect(dispenseRound(supplied, [line(0, 1)])).toMatchObject({ problems: [{ path: "items.0.packages" }] });
  });
});

describe("handOverRound and progress", () => {
  it("moves dispensed into supplied; complete only when nothing remains", () => {
    const round1 = dispenseRound(ITEMS, [line(0, 1), line(1, 6)]);
    if (!("items" in round1)) throw new Error("refused");
    const after1 = handOverRound(round1.items);
    expect(after1.complete).toBe(false);
    expect(after1.items.map((i) => [i.supplied, i.dispensed])).toEqual([
      [1, 0],
      [6, 0],
    ]);
    expect(after1.items.map((i) => itemProgress(i, { status: "awaiting_stock", dispenseRounds: 1 }).held)).toEqual([0, 8]);
    const round2 = dispenseRound(after1.items, [line(1, 8)]);
    if (!("items" in round2)) throw new Error("refused");
    expect(handOverRound(round2.items).complete).toBe(true);
  });

  it.each([
    ["dispensing at the desk", { status: "dispensing", dispenseRounds: 1 }, true],
    ["waiting for stock", { status: "awaiting_stock", dispenseRounds: 1 }, true],
    ["approved (nothing dispensed yet)", { status: "approved", dispenseRounds: 0 }, false],
    ["dispensing by an external pharmacy (no desk rounds)", { status: "dispensing", dispenseRounds: 0 }, false],
    ["cancelled while waiting", { status: "cancelled", dispenseRounds: 1 }, false],
  ] as const)("an order %s with metformin left is partial: %s", (_name, state, partial) => {
    const items: OrderItem[] = [
      { ...ITEMS[0]!, dispensed: 1 },
      { ...ITEMS[1]!, dispensed: 0 },
    ];
    expect(isPartial(items, state)).toBe(partial);
  });

  it("keys a restock round's notices apart from the first round's", () => {
    expect([0, 1, 2, 3].map(roundKey)).toEqual(["", "", "r2", "r3"]);
  });
});

describe("expiry", () => {
  it.each([
    ["2027-05", "2027-05-31"],
    ["2027-04", "2027-04-30"],
    ["2028-02", "2028-02-29"],
    ["2027-02", "2027-02-28"],
    ["2027-12", "2027-12-31"],
    ["2027-05-14", "2027-05-14"],
  ])("%s is usable through %s (药品说明书和标签管理规定 art. 23)", (expiry, last) => {
    expect(lastUsableDay(expiry)).toBe(last);
  });

  it.each([
    ["2027-05", true],
    ["2027-05-31", true],
    ["2028-02-29", true],
    ["2027-02-29", false],
    ["2027-13", false],
    ["2027-00", false],
    ["2027-5", false],
    ["27-05", false],
    ["1999-12", false],
    ["2027-05-31T00:00", false],
  ])("%s is a valid expiry: %s", (expiry, valid) => {
    expect(isValidExpiry(expiry)).toBe(valid);
  });
});
