import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { forgetReferenceData } from "../../worker/rules-context/reference-cache";
import { loadRuleContext } from "../../worker/rules-context/rules-context.repo";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

/*
 * The reference data of the rule context (interactions, specialty relations, policy
 * settings) is held per isolate under reference_meta's token (reference-cache.ts, issue 12).
 * These tests hold it to its promise: a check right after any change sees the change,
 * whether it came through the API or straight into D1, and an unchanged database sends
 * none of those rows again.
 */

const QUERY = { prescriberId: "doc-shimen-gp-intermediate", patientId: "pat-001", codes: ["W185-01"], date: "2026-12-06", diagnoses: ["I10"] };

/** The reference rows (interactions, specialty relations, settings) a reference statement's JSON value carried: 0 when it carried none. */
function referenceRowsOf(result: D1Result | undefined): number {
  const values = Object.values((result?.results[0] ?? {}) as Record<string, unknown>);
  const json = values.find((v): v is string => typeof v === "string" && v.startsWith('{"interactions"'));
  if (!json) return 0;
  const rows = JSON.parse(json) as Record<"interactions" | "specialties" | "settings", unknown[]>;
  return rows.interactions.length + rows.specialties.length + rows.settings.length;
}

/** The rule context as a check would see it, and how many reference rows its batch brought. */
async function context() {
  let referenceRows = 0;
  const recording = Object.create(env.DB) as D1Database;
  Object.assign(recording, {
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await env.DB.batch(statements);
      // the batch's last statement: the formulary version, the token, and the reference rows when the token is not held
      referenceRows = referenceRowsOf(results.at(-1));
      return results;
    },
  });
  const { stored } = await loadRuleContext(getDb(recording), QUERY);
  return { stored, referenceRows };
}

let serial = 0;
const uid = () => `ddi-cache-${Date.now().toString(36)}-${++serial}`;

describe("the rule context's reference data, held per isolate", () => {
  beforeAll(async () => {
    await loadDemoSeed();
    forgetReferenceData();
  });

  it("reads the tables once, then answers from what it holds while nothing changed", async () => {
    const first = await context();
    expect(first.referenceRows).toBeGreaterThan(0);
    expect(first.stored.interactions.length).toBeGreaterThan(0);
    const again = await context();
    expect(again.referenceRows).toBe(0);
    expect(again.stored).toEqual(first.stored);
  });

  it("sees an interaction added, changed and removed through the API at the very next check", async () => {
    await context();
    const id = uid();
    const created = await api("POST", "/interactions", {
      token: await asAdmin(),
      body: { id, a: { atcPrefix: "C08CA" }, b: { name: "西柚汁" }, severity: "moderate", note: "血药浓度升高", source: "药品说明书" },
    });
    expect(created.status).toBe(201);
    const added = await context();
    expect(added.referenceRows).toBeGreaterThan(0);
    expect(added.stored.interactions.find((i) => i.id === id)).toMatchObject({ severity: "moderate", b: { name: "西柚汁" } });

    expect((await api("PATCH", `/interactions/${id}`, { token: await asAdmin(), body: { severity: "major" } })).status).toBe(200);
    expect((await context()).stored.interactions.find((i) => i.id === id)?.severity).toBe("major");

    expect((await api("DELETE", `/interactions/${id}`, { token: await asAdmin() })).status).toBe(204);
    const removed = await context();
    expect(removed.stored.interactions.some((i) => i.id === id)).toBe(false);
    expect((await context()).referenceRows).toBe(0);
  });

  it("sees a policy setting and a specialty relation changed through the API", async () => {
    const before = await context();
    const current = await api<{ version: number }>("GET", "/settings/refillGraceDays", { token: await asAdmin() });
    const grace = before.stored.policy.refillGraceDays === 3 ? 4 : 3;
    const put = await api("PUT", "/settings/refillGraceDays", { token: await asAdmin(), headers: { "if-match": `"${current.body.version}"` }, body: { value: grace } });
    expect(put.status).toBe(200);
    expect((await context()).stored.policy.refillGraceDays).toBe(grace);

    const related = await api("PUT", "/specialty-relations/I99", { token: await asAdmin(), body: { specialties: ["cardiology"] } });
    expect(related.status).toBe(200);
    expect((await context()).stored.relatedSpecialties.I99).toEqual(["cardiology"]);
  });

  it("sees a change written straight into D1, outside the API (the triggers, not the routes, move the token)", async () => {
    await context();
    await env.DB.prepare("UPDATE interactions SET note = 'edited in the console' WHERE id = (SELECT min(id) FROM interactions)").run();
    const after = await context();
    expect(after.stored.interactions.some((i) => i.note === "edited in the console")).toBe(true);
    await env.DB.prepare("DELETE FROM specialty_conditions WHERE icd10_prefix = 'I99'").run();
    expect((await context()).stored.relatedSpecialties.I99).toBeUndefined();
  });

  it("keeps two databases apart in one isolate (a token names one database's data, whichever asked)", async () => {
    const demo = await context();
    // a second consortium's database, migrated but not seeded: its own token, its own (empty) data
    await applyD1Migrations(env.DB_B, env.TEST_MIGRATIONS);
    const b = await loadRuleContext(getDb(env.DB_B), QUERY);
    expect(b.stored.interactions).toEqual([]);
    expect((await context()).stored.interactions).toEqual(demo.stored.interactions);
  });
});
