import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pharmacies, prescriptionItems } from "../../schema";
import { compiled, insertRows } from "../../worker/db/compiled";
import { getDb } from "../../worker/db/index";

/*
 * Statements built once per isolate (worker/db/compiled.ts) must be the statements drizzle
 * would build each time: the same SQL, the same encoded parameters, the same mapped rows.
 */

const item = (idx: number, over: Partial<typeof prescriptionItems.$inferInsert> = {}): typeof prescriptionItems.$inferInsert => ({
  prescriptionId: "rx-compiled",
  idx,
  patientId: "pat-compiled",
  institutionId: "inst-county",
  drugCode: `D-${idx}`,
  genericName: "氨氯地平片",
  atc: idx % 2 ? null : "C08CA01",
  route: null,
  ingredients: idx % 2 ? null : ["氨氯地平"],
  startDate: "2026-12-07",
  endDate: "2026-12-14",
  days: 7,
  packages: 1,
  active: idx % 3 !== 0,
  ...over,
});

const pharmacy = (id: string, over: Partial<typeof pharmacies.$inferInsert> = {}): typeof pharmacies.$inferInsert => ({
  id,
  name: `药房 ${id}`,
  integration: "desk",
  endpointUrl: null,
  sharedSecret: null,
  deliveryRegions: ["青溪县/城关镇"],
  capabilities: ["cold_chain"],
  hours: null,
  createdAt: "2026-12-07T00:00:00.000Z",
  ...over,
});

describe("compiled statements", () => {
  it("an insert is drizzle's insert: same SQL and parameters, json nulls as NULL, booleans as 0/1, one row or several", () => {
    const db = getDb(env.DB);
    for (const rows of [[item(0)], [item(1)], [item(0), item(1), item(2)], [item(3, { ingredients: [] })]]) {
      expect(insertRows(db, prescriptionItems, rows).toSQL()).toEqual(db.insert(prescriptionItems).values(rows).toSQL());
    }
    // built once per shape: a second use with other values is still drizzle's statement for them
    expect(insertRows(db, prescriptionItems, [item(4, { drugCode: "X" })]).toSQL()).toEqual(db.insert(prescriptionItems).values([item(4, { drugCode: "X" })]).toSQL());
    // a key left undefined: the column is written as drizzle writes it
    const partial = { ...item(5), route: undefined };
    expect(insertRows(db, prescriptionItems, [partial]).toSQL()).toEqual(db.insert(prescriptionItems).values([partial]).toSQL());
  });

  it("writes and reads through D1 in a batch and alone, each use with its own values", async () => {
    const db = getDb(env.DB);
    const byId = compiled(["id"], (t, p) => t.select().from(pharmacies).where(eq(pharmacies.id, p.id)));
    await db.batch([insertRows(db, pharmacies, [pharmacy("ph-compiled-1")]), insertRows(db, pharmacies, [pharmacy("ph-compiled-2", { hours: "8-17", integration: "external" })])]);
    const [one, two, none] = await db.batch([byId(db, { id: "ph-compiled-1" }), byId(db, { id: "ph-compiled-2" }), byId(db, { id: "ph-none" })]);
    expect(one).toEqual(await db.select().from(pharmacies).where(eq(pharmacies.id, "ph-compiled-1")));
    expect(one[0]).toMatchObject({ deliveryRegions: ["青溪县/城关镇"], hours: null, integration: "desk" });
    expect(two[0]).toMatchObject({ hours: "8-17", integration: "external" });
    expect(none).toEqual([]);
    // awaited alone, as a drizzle builder
    expect(await byId(db, { id: "ph-compiled-2" })).toEqual(two);
  });

  it("refuses a use without a value for one of its placeholders", () => {
    const db = getDb(env.DB);
    const byId = compiled(["id"], (t, p) => t.select().from(pharmacies).where(eq(pharmacies.id, p.id)));
    expect(() => byId(db, {} as { id: string }).toSQL()).toThrow(/no value for placeholder "id"/);
  });
});
