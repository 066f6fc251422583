import { beforeAll, describe, expect, it } from "vitest";
import { api, tokenFor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

interface Operation {
  "x-roles"?: string[];
  requestBody?: unknown;
  parameters?: { name: string; in: string }[];
}

const JUNK_BODIES: (string | undefined)[] = [
  undefined,
  "",
  "null",
  "[]",
  '"text"',
  "{}",
  '{"a":',
  JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: {} } }),
  JSON.stringify({ items: [{ drugCode: "constructor", dose: { value: 1e308, unit: "mg" }, frequency: "qd", days: 1, packages: 1 }] }),
  JSON.stringify({ id: "x".repeat(10_000), name: "\u0000\ud800", level: 1 }),
  JSON.stringify(Array.from({ length: 2000 }, () => ({}))),
];

/** Real ids per path parameter, so junk bodies reach the services and not just the 404s. */
function realPath(template: string): string | null {
  const collection = template.split("/")[3] ?? "";
  const ids: Record<string, string> = {
    patients: "pat-001",
    institutions: "inst-shimen",
    practitioners: "doc-shimen-gp-intermediate",
    pharmacies: "pharm-cloud",
    interactions: "clopidogrel-omeprazole",
    "pharmacy-callbacks": "pharm-renhe",
  };
  let unknown = false;
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name === "code") return "W185-01";
    if (name === "icd10Prefix") return "I10";
    if (name === "conditionId") return "pc-001-i10";
    if (name === "pharmacyId") return "pharm-renhe";
    const id = ids[collection];
    if (!id) unknown = true;
    return id ?? "x";
  });
  return unknown ? null : path.replace(/^\/api\/v1/, "");
}

const tokens = async () => ({
  admin: await tokenFor("admin", "admin-county", "inst-county"),
  doctor: await tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen"),
  pharmacist: await tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud"),
});

/**
 * A careless or hostile client: every operation of the OpenAPI document, called by every
 * role it allows, with junk bodies and junk path parameters. Nothing may answer 5xx, and
 * every error must be problem+json.
 */
describe("robustness", () => {
  beforeAll(loadDemoSeed);

  it("never answers 5xx to junk input on any documented operation", { timeout: 600_000 }, async () => {
    const doc = await api<{ paths: Record<string, Record<string, Operation>> }>("GET", "/openapi.json");
    const byRole = await tokens();
    const failures: string[] = [];
    let calls = 0;
    for (const [template, ops] of Object.entries(doc.body.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const roles = (op["x-roles"] ?? []).filter((r): r is keyof typeof byRole => r in byRole);
        const junkPath = template.replace(/^\/api\/v1/, "").replace(/\{[^}]+\}/g, "%00'\"<x>");
        const real = method === "delete" ? null : realPath(template);
        for (const path of real && real !== junkPath ? [junkPath, real] : [junkPath])
        for (const role of roles.length ? roles : (["admin"] as const)) {
          const bodies = method === "get" || method === "delete" ? [undefined] : JUNK_BODIES;
          for (const rawBody of bodies) {
            calls++;
            const res = await api(method.toUpperCase(), path, {
              token: byRole[role],
              rawBody,
              headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID(), "if-match": '"1"' },
            });
            if (res.status >= 500) failures.push(`${method.toUpperCase()} ${template} as ${role} with ${String(rawBody).slice(0, 60)} → ${res.status}`);
            else if (res.status >= 400 && !(res.headers.get("content-type") ?? "").includes("problem+json")) {
              failures.push(`${method.toUpperCase()} ${template} → ${res.status} without problem+json`);
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
