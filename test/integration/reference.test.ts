import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import type { Interaction } from "../../worker/reference/reference.schemas";
import { api, asAdmin, asDoctor, asPharmacist, tokenFor } from "../support/api";

let serial = 0;
const uid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++serial).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface Page {
  items: Interaction[];
  nextCursor: string | null;
}

interface AuditRow {
  action: string;
  actor_id: string;
  actor_role: string;
  before: string | null;
  after: string | null;
}

const anInteraction = (overrides: Record<string, unknown> = {}) => ({
  id: uid("ddi"),
  a: { name: "华法林", atcPrefix: "B01AA03" },
  b: { atcPrefix: "m01a" },
  severity: "major",
  note: "出血风险显著增加",
  source: "药品说明书",
  ...overrides,
});

async function create(overrides: Record<string, unknown> = {}) {
  const res = await api<Interaction>("POST", "/interactions", { token: await asAdmin(), body: anInteraction(overrides) });
  expect(res.status).toBe(201);
  return res.body;
}

const auditOf = async (id: string) =>
  (await env.DB.prepare("SELECT * FROM audit_events WHERE entity_type = 'interaction' AND entity_id = ? ORDER BY id").bind(id).all<AuditRow>()).results;

async function counts() {
  const [interactions, audit] = await env.DB.batch<{ n: number }>([env.DB.prepare("SELECT count(*) AS n FROM interactions"), env.DB.prepare("SELECT count(*) AS n FROM audit_events")]);
  return { interactions: interactions?.results[0]?.n, audit: audit?.results[0]?.n };
}

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = res.body as Problem;
  expect(body).toMatchObject({ status, code });
  return body;
}

describe("interactions: happy paths", () => {
  it("adds an interaction in the rules' shape, serves it to every role and audits it", async () => {
    const created = await create();
    expect(created).toMatchObject({ a: { name: "华法林", atcPrefix: "B01AA03" }, b: { atcPrefix: "M01A" }, severity: "major", updatedBy: "admin-county" });
    expect(created.b).not.toHaveProperty("name");
    for (const token of [await asDoctor(), await asPharmacist(), await asAdmin()]) {
      const got = await api<Interaction>("GET", `/interactions/${created.id}`, { token });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created);
    }
    const audit = await auditOf(created.id);
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([["interaction.create", "admin-county"]]);
    expect(JSON.parse(audit[0]?.after ?? "{}")).toMatchObject({ id: created.id, severity: "major" });
  });

  it("patches fields and whole sides with before and after in the audit; a no-op writes nothing", async () => {
    const created = await create();
    const res = await api<Interaction>("PATCH", `/interactions/${created.id}`, { token: await asAdmin(), body: { severity: "moderate", b: { name: "布洛芬" } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ severity: "moderate", a: created.a, b: { name: "布洛芬" } });
    expect(res.body.b).not.toHaveProperty("atcPrefix");
    expect((await api<Interaction>("GET", `/interactions/${created.id}`, { token: await asDoctor() })).body).toEqual(res.body);

    const noop = await api<Interaction>("PATCH", `/interactions/${created.id}`, { token: await asAdmin(), body: { severity: "moderate", note: created.note } });
    expect(noop.status).toBe(200);
    const audit = await auditOf(created.id);
    expect(audit.map((a) => a.action)).toEqual(["interaction.create", "interaction.update"]);
    expect(JSON.parse(audit[1]?.before ?? "{}")).toMatchObject({ severity: "major", b: { atcPrefix: "M01A" } });
    expect(JSON.parse(audit[1]?.after ?? "{}")).toMatchObject({ severity: "moderate", b: { name: "布洛芬" } });
  });

  it("deletes an interaction, auditing the before image", async () => {
    const created = await create({ note: "删除前的内容" });
    const res = await api("DELETE", `/interactions/${created.id}`, { token: await asAdmin() });
    expect(res.status).toBe(204);
    expectProblem(await api("GET", `/interactions/${created.id}`, { token: await asAdmin() }), 404, "not-found");
    const audit = await auditOf(created.id);
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ["interaction.create", "admin-county"],
      ["interaction.delete", "admin-county"],
    ]);
    expect(JSON.parse(audit[1]?.before ?? "{}")).toEqual(created);
    expect(audit[1]?.after).toBeNull();
  });

  it("pages through the table by id without duplicates and filters by severity", async () => {
    const tag = uid("page");
    const mine = [await create({ id: `${tag}-1` }), await create({ id: `${tag}-2`, severity: "moderate" }), await create({ id: `${tag}-3` })];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page } = await api<Page>("GET", `/interactions?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: await asPharmacist() });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(mine.map((i) => i.id)));
    expect([...seen]).toEqual([...seen].sort());

    const moderate = await api<Page>("GET", "/interactions?severity=moderate&limit=100", { token: await asDoctor() });
    expect(moderate.body.items.every((i) => i.severity === "moderate")).toBe(true);
    expect(moderate.body.items.map((i) => i.id)).toContain(`${tag}-2`);
  });
});

describe("interactions: errors", () => {
  it("needs an atcPrefix or a name on each side and reports every issue, changing nothing", async () => {
    const before = await counts();
    const res = await api("POST", "/interactions", {
      token: await asAdmin(),
      body: anInteraction({ a: {}, b: { atcPrefix: "warfarin" }, severity: "minor", note: "" }),
    });
    const problem = expectProblem(res, 400, "validation-failed");
    expect(problem.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(["a", "b.atcPrefix", "severity", "note"]));
    const unknownField = await api("POST", "/interactions", { token: await asAdmin(), body: anInteraction({ a: { name: "华法林", class: "x" } }) });
    expectProblem(unknownField, 400, "validation-failed");
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate id with 409 and keeps the original", async () => {
    const created = await create();
    const before = await counts();
    expectProblem(await api("POST", "/interactions", { token: await asAdmin(), body: anInteraction({ id: created.id, severity: "moderate" }) }), 409, "already-exists");
    expect(await counts()).toEqual(before);
    expect((await api<Interaction>("GET", `/interactions/${created.id}`, { token: await asAdmin() })).body.severity).toBe("major");
  });

  it("404s unknown ids and refuses empty or invalid patches, changing nothing", async () => {
    const created = await create();
    const before = await counts();
    const missing = uid("none");
    expectProblem(await api("GET", `/interactions/${missing}`, { token: await asAdmin() }), 404, "not-found");
    expectProblem(await api("PATCH", `/interactions/${missing}`, { token: await asAdmin(), body: { severity: "moderate" } }), 404, "not-found");
    expectProblem(await api("DELETE", `/interactions/${missing}`, { token: await asAdmin() }), 404, "not-found");
    expectProblem(await api("PATCH", `/interactions/${created.id}`, { token: await asAdmin(), body: {} }), 400, "validation-failed");
    const side = await api("PATCH", `/interactions/${created.id}`, { token: await asAdmin(), body: { a: { atcPrefix: null } } });
    expectProblem(side, 400, "validation-failed");
    expectProblem(await api("PATCH", `/interactions/${created.id}`, { token: await asAdmin(), body: { id: "renamed" } }), 400, "validation-failed");
    expectProblem(await api("GET", "/interactions?cursor=bm9wZQ", { token: await asAdmin() }), 400, "invalid-cursor");
    expect(await counts()).toEqual(before);
  });

  it("lets exactly one of two concurrent deletes win; the other is a 404", async () => {
    const created = await create();
    const token = await asAdmin();
    const results = await Promise.all([api("DELETE", `/interactions/${created.id}`, { token }), api("DELETE", `/interactions/${created.id}`, { token })]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 404]);
    expect((await auditOf(created.id)).filter((a) => a.action === "interaction.delete")).toHaveLength(1);
  });
});

describe("interactions: security", () => {
  it("needs a token for every interaction route (401)", async () => {
    for (const [method, path] of [
      ["GET", "/interactions"],
      ["GET", "/interactions/x"],
      ["POST", "/interactions"],
      ["PATCH", "/interactions/x"],
      ["DELETE", "/interactions/x"],
    ] as const) {
      const res = await api(method, path, { body: method === "GET" || method === "DELETE" ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("lets only admins write (403 for doctors and pharmacists) and changes nothing", async () => {
    const created = await create();
    const before = await counts();
    for (const token of [await asDoctor(), await asPharmacist(), await tokenFor("doctor")]) {
      expectProblem(await api("POST", "/interactions", { token, body: anInteraction() }), 403, "forbidden");
      expectProblem(await api("PATCH", `/interactions/${created.id}`, { token, body: { severity: "moderate" } }), 403, "forbidden");
      expectProblem(await api("DELETE", `/interactions/${created.id}`, { token }), 403, "forbidden");
    }
    expect(await counts()).toEqual(before);
    expect((await api<Interaction>("GET", `/interactions/${created.id}`, { token: await asDoctor() })).body).toEqual(created);
  });

  it("declares the allowed roles in the OpenAPI document", async () => {
    const res = await api<{ paths: Record<string, Record<string, { "x-roles"?: string[] }>> }>("GET", "/openapi.json");
    expect(res.body.paths["/api/v1/interactions"]?.get?.["x-roles"]).toEqual(["doctor", "pharmacist", "admin"]);
    expect(res.body.paths["/api/v1/interactions"]?.post?.["x-roles"]).toEqual(["admin"]);
    expect(res.body.paths["/api/v1/interactions/{id}"]?.delete?.["x-roles"]).toEqual(["admin"]);
  });
});
