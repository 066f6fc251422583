import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Entry } from "../../worker/formulary/formulary.schemas";
import type { Problem } from "../../worker/errors/problem";
import { anEntry } from "../builders/entries";
import { api, asAdmin, asDoctor } from "../support/api";

async function create(overrides: Parameters<typeof anEntry>[0] = {}) {
  const res = await api<{ entry: Entry }>("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry(overrides) });
  expect(res.status).toBe(201);
  return res.body.entry;
}

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  expect(body.requestId).toBe(res.headers.get("x-request-id"));
  expect(body.type).toContain(code);
  return body;
}

const countAudit = async () => (await env.DB.prepare("SELECT count(*) AS n FROM audit_events").first<{ n: number }>())?.n ?? 0;

describe("formulary errors", () => {
  it("rejects an invalid entry with every issue and changes nothing", async () => {
    const before = await countAudit();
    const res = await api("POST", "/formulary/drugs", {
      token: await asAdmin(),
      body: anEntry({ code: "bad code!", strength: { value: -1, unit: "kg" }, route: "mouth", conditions: ["hypertension"] }),
    });
    const problem = expectProblem(res, 400, "validation-failed");
    const paths = problem.issues?.map((i) => i.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["code", "strength.value", "strength.unit", "route", "conditions.0"]));
    expect(await countAudit()).toBe(before);
  });

  it("refuses long-prescription eligibility for an excluded class", async () => {
    const res = await api("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ controlClass: "narcotic", longRxEligible: true }) });
    const problem = expectProblem(res, 400, "validation-failed");
    expect(problem.issues?.[0]?.path).toBe("longRxEligible");
  });

  it("rejects unknown fields instead of ignoring them", async () => {
    const res = await api("POST", "/formulary/drugs", { token: await asAdmin(), body: { ...anEntry(), colour: "red" } });
    expectProblem(res, 400, "validation-failed");
  });

  it("answers malformed JSON with a problem, not a 500", async () => {
    const res = await api("POST", "/formulary/drugs", { token: await asAdmin(), rawBody: "{not json", headers: { "content-type": "application/json" } });
    expectProblem(res, 400, "bad-request");
  });

  it("refuses a duplicate code with 409 and keeps the original", async () => {
    const entry = await create({ price: 1 });
    const res = await api("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry({ code: entry.code, price: 2 }) });
    expectProblem(res, 409, "already-exists");
    const got = await api<Entry>("GET", `/formulary/drugs/${entry.code}`, { token: await asAdmin() });
    expect(got.body.price).toBe(1);
  });

  it("needs If-Match to patch (428) and refuses a stale one (412)", async () => {
    const entry = await create();
    expectProblem(await api("PATCH", `/formulary/drugs/${entry.code}`, { token: await asAdmin(), body: { price: 2 } }), 428, "precondition-required");
    const ok = await api("PATCH", `/formulary/drugs/${entry.code}`, { token: await asAdmin(), headers: { "if-match": '"1"' }, body: { price: 2 } });
    expect(ok.status).toBe(200);
    expectProblem(await api("PATCH", `/formulary/drugs/${entry.code}`, { token: await asAdmin(), headers: { "if-match": '"1"' }, body: { price: 3 } }), 412, "precondition-failed");
    expectProblem(await api("PATCH", `/formulary/drugs/${entry.code}`, { token: await asAdmin(), headers: { "if-match": "garbage" }, body: { price: 3 } }), 412, "precondition-failed");
  });

  it("lets exactly one of two concurrent patches on the same version win", async () => {
    const entry = await create({ price: 1 });
    const token = await asAdmin();
    const patch = (price: number) => api("PATCH", `/formulary/drugs/${entry.code}`, { token, headers: { "if-match": '"1"' }, body: { price } });
    const results = await Promise.all([patch(5), patch(6), patch(7)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412]);
    const history = await api<{ items: unknown[] }>("GET", `/formulary/drugs/${entry.code}/history`, { token });
    expect(history.body.items).toHaveLength(2);
  });

  it("404s an unknown entry and an unknown route as problems", async () => {
    expectProblem(await api("GET", "/formulary/drugs/NOPE-404", { token: await asDoctor() }), 404, "not-found");
    expectProblem(await api("GET", "/formulary/drugs/NOPE-404/history", { token: await asDoctor() }), 404, "not-found");
    expectProblem(await api("GET", "/nothing-here", { token: await asDoctor() }), 404, "not-found");
  });

  it("caps the page size and rejects a forged cursor", async () => {
    expectProblem(await api("GET", "/formulary/drugs?limit=1000", { token: await asDoctor() }), 400, "validation-failed");
    expectProblem(await api("GET", "/formulary/drugs?cursor=bm9wZQ", { token: await asDoctor() }), 400, "invalid-cursor");
    expectProblem(await api("GET", "/formulary/drugs?cursor=%%%", { token: await asDoctor() }), 400, "invalid-cursor");
  });

  it("treats FTS syntax in a query as text", async () => {
    for (const q of ['"', "AND OR NOT", "*", "a:b", "(x", "NEAR(a b)", "'; DROP TABLE x; --"]) {
      const res = await api("GET", `/formulary/drugs?q=${encodeURIComponent(q)}`, { token: await asDoctor() });
      expect(res.status).toBe(200);
    }
  });

  it("refuses a body over the cap with 413", async () => {
    const res = await api("POST", "/formulary/drugs", { token: await asAdmin(), rawBody: JSON.stringify({ pad: "x".repeat(300 * 1024) }), headers: { "content-type": "application/json" } });
    expectProblem(res, 413, "payload-too-large");
  });
});
