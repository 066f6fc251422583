import { beforeAll, describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors/problem";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

const external = (overrides: Record<string, unknown> = {}) => ({
  id: `pharm-${crypto.randomUUID().slice(0, 8)}`,
  name: "外部药房",
  integration: "external",
  endpointUrl: "https://pharmacy-partner.example/x/orders",
  sharedSecret: "s".repeat(32),
  deliveryRegions: ["青溪县"],
  capabilities: ["delivery"],
  ...overrides,
});

const paths = (p: Problem) => (p.issues ?? []).map((i) => i.path).sort();

describe("pharmacy management errors", () => {
  beforeAll(loadDemoSeed);

  it("needs an https endpoint and a secret of at least 32 characters for an external pharmacy (422 / 400)", async () => {
    const token = await asAdmin();
    const noEndpoint = await api<Problem>("POST", "/pharmacies", { token, body: external({ endpointUrl: undefined }) });
    expect(noEndpoint.status).toBe(422);
    expect(paths(noEndpoint.body)).toEqual(["endpointUrl"]);
    const http = await api<Problem>("POST", "/pharmacies", { token, body: external({ endpointUrl: "http://pharmacy-partner.example/x" }) });
    expect(http.status).toBe(422);
    expect(paths(http.body)).toEqual(["endpointUrl"]);
    const noSecret = await api<Problem>("POST", "/pharmacies", { token, body: external({ sharedSecret: undefined }) });
    expect(noSecret.status).toBe(422);
    expect(paths(noSecret.body)).toEqual(["sharedSecret"]);
    const short = await api<Problem>("POST", "/pharmacies", { token, body: external({ sharedSecret: "too-short" }) });
    expect(short.status).toBe(400);
    expect(paths(short.body)).toEqual(["sharedSecret"]);
    const scheme = await api<Problem>("POST", "/pharmacies", { token, body: external({ endpointUrl: "javascript:alert(1)" }) });
    expect(scheme.status).toBe(400);
    const desk = await api<Problem>("POST", "/pharmacies", { token, body: external({ integration: "desk" }) });
    expect(desk.status).toBe(422);
    expect(paths(desk.body)).toEqual(["endpointUrl", "sharedSecret"]);
  });

  it("validates regions, capabilities and unknown fields (400)", async () => {
    const token = await asAdmin();
    for (const body of [external({ deliveryRegions: ["/青溪县"] }), external({ capabilities: ["teleport"] }), external({ secret: "x" }), external({ id: "bad id" })]) {
      expect((await api("POST", "/pharmacies", { token, body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it("refuses a taken id (409) and an unknown pharmacy (404)", async () => {
    const token = await asAdmin();
    expect((await api<Problem>("POST", "/pharmacies", { token, body: external({ id: "pharm-renhe" }) })).body.code).toBe("already-exists");
    expect((await api("PATCH", "/pharmacies/pharm-nope", { token, body: { name: "x" } })).status).toBe(404);
    expect((await api("GET", "/pharmacies/pharm-nope", { token })).status).toBe(404);
    expect((await api("POST", "/pharmacies/pharm-nope/sites", { token, body: { id: "site-x", name: "x", address: "y" } })).status).toBe(404);
  });

  it("keeps an external pharmacy consistent under PATCH: no clearing the endpoint, no plain http (422); an empty patch is 400", async () => {
    const token = await asAdmin();
    expect((await api<Problem>("PATCH", "/pharmacies/pharm-renhe", { token, body: { endpointUrl: null } })).status).toBe(422);
    expect((await api<Problem>("PATCH", "/pharmacies/pharm-renhe", { token, body: { endpointUrl: "http://pharmacy-partner.example/y" } })).status).toBe(422);
    expect((await api<Problem>("PATCH", "/pharmacies/pharm-cloud", { token, body: { integration: "external" } })).status).toBe(422);
    expect((await api<Problem>("PATCH", "/pharmacies/pharm-renhe", { token, body: {} })).status).toBe(400);
  });

  it("refuses a site at an unknown institution (422) and a taken site id (409)", async () => {
    const token = await asAdmin();
    const unknown = await api<Problem>("POST", "/pharmacies/pharm-cloud/sites", { token, body: { id: "site-new-1", name: "x", address: "y", institutionId: "inst-nope" } });
    expect(unknown.status).toBe(422);
    expect(paths(unknown.body)).toEqual(["institutionId"]);
    const taken = await api<Problem>("POST", "/pharmacies/pharm-cloud/sites", { token, body: { id: "site-cloud-shimen", name: "x", address: "y" } });
    expect(taken.status).toBe(409);
  });
});
