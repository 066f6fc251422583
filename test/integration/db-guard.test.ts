import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { institutions } from "../../schema";
import { expectChanged, isGuardFailure } from "../../worker/db/guard";
import { getDb } from "../../worker/db/index";

describe("batch guard", () => {
  it("rolls the whole batch back when the guarded statement changed nothing, and lets it through otherwise", async () => {
    const db = getDb(env.DB);
    await db.insert(institutions).values({ id: "guard-inst", name: "A", level: "village", region: "r", createdAt: "2026-01-01" });
    const rename = (from: string, to: string) => db.update(institutions).set({ name: to }).where(sql`${institutions.id} = 'guard-inst' AND ${institutions.name} = ${from}`);

    await db.batch([rename("A", "B"), expectChanged(db), rename("B", "C")]);
    expect((await db.select().from(institutions).where(eq(institutions.id, "guard-inst")))[0]?.name).toBe("C");

    const failure = await db.batch([rename("C", "D"), rename("A", "X"), expectChanged(db)]).catch((e: unknown) => e);
    expect(isGuardFailure(failure)).toBe(true);
    // the first rename was in the same batch and rolled back with it
    expect((await db.select().from(institutions).where(eq(institutions.id, "guard-inst")))[0]?.name).toBe("C");
  });
});
