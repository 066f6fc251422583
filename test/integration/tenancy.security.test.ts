/**
 * Two consortia: a token opens only its own consortium's database, never at another's
 * host; a token naming no consortium or an unknown one is refused; a host no consortium
 * lists serves no token-less route; a broken registry is a misconfiguration, not a guess.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "../support/api";
import { signDevToken } from "../../worker/http/dev-token";
import { at, auditCount, B_HOST, DEMO_HOST, REGISTRY, SHARED_HOST, seedBoth, tokenOf, twoConsortia } from "./tenancy.fixtures";

const problem = (res: { status: number; headers: Headers; body: Record<string, unknown> }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body.code).toBe(code);
};

describe("consortia are closed to each other", () => {
  beforeAll(seedBoth);

  it("refuses a token of one consortium at the other's host (403), reading nothing in either", async () => {
    const { env: two } = twoConsortia();
    const before = [await auditCount(env.DB), await auditCount(env.DB_B)];
    for (const [consortium, host] of [
      ["demo", B_HOST],
      ["b", DEMO_HOST],
    ] as const) {
      const res = await at(two, host, "GET", "/patients/pat-001", { token: await tokenOf(consortium) });
      problem(res, 403, "forbidden");
      expect(res.body.detail).toContain(`belongs to consortium ${consortium}`);
      expect(JSON.stringify(res.body)).not.toContain("张桂兰");
    }
    expect([await auditCount(env.DB), await auditCount(env.DB_B)]).toEqual(before);
  });

  it("refuses a token naming no consortium where several are served, and one naming a consortium not served", async () => {
    const { env: two } = twoConsortia();
    const unnamed = await signDevToken(env.AUTH_DEV_SECRET ?? "", { role: "doctor", sub: "doc-shimen-gp-intermediate", org: "inst-shimen", name: "" });
    const none = await at(two, SHARED_HOST, "GET", "/patients/pat-001", { token: unnamed });
    problem(none, 403, "forbidden");
    expect(none.body.detail).toContain("names no consortium (claim cons)");
    const unknown = await at(two, SHARED_HOST, "GET", "/patients/pat-001", { token: await tokenOf("zhejiang-07") });
    problem(unknown, 403, "forbidden");
    expect(unknown.body.detail).toContain("zhejiang-07 is not served");
  });

  it("reads the consortium from the claim the identity provider uses (CONSORTIUM_CLAIM)", async () => {
    const { env: custom } = twoConsortia({ CONSORTIUM_CLAIM: "tenant" });
    // a dev token's claim is cons: under CONSORTIUM_CLAIM=tenant it names none
    problem(await at(custom, SHARED_HOST, "GET", "/patients/pat-001", { token: await tokenOf("b") }), 403, "forbidden");
  });

  it("accepts a token without the claim where one consortium is served (the default registry)", async () => {
    const unnamed = await signDevToken(env.AUTH_DEV_SECRET ?? "", { role: "doctor", sub: "doc-shimen-gp-intermediate", org: "inst-shimen", name: "" });
    const res = await at<{ name: string }>(env, SHARED_HOST, "GET", "/patients/pat-001", { token: unnamed });
    expect(res.status).toBe(200);
    // and a token naming another consortium is refused there too
    problem(await at(env, SHARED_HOST, "GET", "/patients/pat-001", { token: await tokenOf("b") }), 403, "forbidden");
  });

  it("serves no token-less route at a host no consortium lists (404 naming the host)", async () => {
    const { env: two } = twoConsortia();
    const lookup = await at(two, SHARED_HOST, "POST", "/dev/token", { body: { role: "doctor", sub: "doc-shimen-gp-intermediate", org: "inst-shimen" } });
    problem(lookup, 404, "not-found");
    expect(lookup.body.detail).toContain(`no consortium is served at ${SHARED_HOST}`);
  });

  it("signs a dev login in for the consortium of the host it was asked at, and that token opens only that one", async () => {
    const { env: two } = twoConsortia();
    const login = await at<{ token: string }>(two, B_HOST, "POST", "/dev/token", { body: { role: "doctor", sub: "doc-shimen-gp-intermediate", org: "inst-shimen" } });
    expect(login.status).toBe(200);
    const inB = await at<{ name: string }>(two, SHARED_HOST, "GET", "/patients/pat-001", { token: login.body.token });
    expect(inB.body.name.startsWith("乙")).toBe(true);
    problem(await at(two, DEMO_HOST, "GET", "/patients/pat-001", { token: login.body.token }), 403, "forbidden");
  });

  it("answers 500 misconfigured, never a guess, for a registry that is not JSON, repeats a host or names a missing binding", async () => {
    const token = await tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
    for (const CONSORTIA of [
      "[{",
      JSON.stringify([...REGISTRY, { id: "c", name: "丙", binding: "DB_C", hosts: [B_HOST] }]),
      JSON.stringify([{ id: "demo", name: "演示", binding: "DB_MISSING", hosts: [] }]),
    ]) {
      const res = await at(twoConsortia({ CONSORTIA }).env, SHARED_HOST, "GET", "/patients/pat-001", { token });
      problem(res, 500, "misconfigured");
      expect(JSON.stringify(res.body)).not.toContain("DB_");
    }
  });
});
