import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMINS } from "../../seeds/demo-consortium";
import { createApp } from "../../worker/app";
import { DEV_ADMINS } from "../../worker/http/dev-login";
import { anEntry } from "../builders/entries";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";

interface TokenAnswer {
  token: string;
  tokenType: string;
  expiresIn: number;
  principal: { sub: string; role: string; org: string; name: string };
}

function claimsOf(token: string): Record<string, unknown> {
  const bin = atob((token.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/"));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
}

describe("POST /api/v1/dev/token (development sign-in)", () => {
  beforeAll(loadDemoSeed);

  it("issues a token for a registered doctor, pharmacist and admin that the API accepts", async () => {
    const users = [
      { role: "doctor", sub: "doc-fenglin-village", org: "inst-fenglin", name: "曹德贵" },
      { role: "pharmacist", sub: "ph-cloud-1", org: "pharm-cloud", name: "徐文静" },
      { role: "admin", sub: "admin-county", org: "inst-county", name: "刘建军" },
    ];
    for (const { name, ...body } of users) {
      const res = await api<TokenAnswer>("POST", "/dev/token", { body });
      expect(res.status, body.sub).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.body.principal).toEqual({ ...body, name });
      expect(claimsOf(res.body.token)).toMatchObject({ ...body, name });
      expect((await api("GET", "/formulary/drugs?q=ASPL", { token: res.body.token })).status).toBe(200);
    }
    // the roles are real: the doctor may validate, the admin may import
    const doctor = await api<TokenAnswer>("POST", "/dev/token", { body: { role: "doctor", sub: "doc-fenglin-village", org: "inst-fenglin" } });
    const admin = await api<TokenAnswer>("POST", "/dev/token", { body: { role: "admin", sub: "admin-county", org: "inst-county" } });
    expect((await api("POST", "/formulary/imports?dryRun=true", { token: doctor.body.token, body: [anEntry()] })).status).toBe(403);
    expect((await api("POST", "/formulary/imports?dryRun=true", { token: admin.body.token, body: [anEntry()] })).status).toBe(200);
  });

  it("answers 422 for an unknown user or one of another organisation", async () => {
    for (const body of [
      { role: "doctor", sub: "doc-nobody", org: "inst-fenglin" },
      { role: "doctor", sub: "doc-fenglin-village", org: "inst-county" },
      { role: "doctor", sub: "ph-cloud-1", org: "pharm-cloud" },
      { role: "pharmacist", sub: "ph-cloud-1", org: "pharm-renhe" },
      { role: "pharmacist", sub: "doc-fenglin-village", org: "inst-fenglin" },
      { role: "admin", sub: "admin-county", org: "inst-chengguan" },
      { role: "admin", sub: "doc-county-cardio-senior", org: "inst-county" },
    ]) {
      const res = await api<{ code: string }>("POST", "/dev/token", { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.code).toBe("unprocessable");
    }
  });

  it("answers 400 for a malformed request", async () => {
    for (const call of [
      { body: { role: "nurse", sub: "x", org: "y" } },
      { body: { role: "doctor", sub: "doc-fenglin-village" } },
      { body: { role: "doctor", sub: "doc-fenglin-village", org: "inst-fenglin", name: "someone else" } },
      { rawBody: "not json", headers: { "content-type": "application/json" } },
    ]) {
      const res = await api<{ code: string }>("POST", "/dev/token", call);
      expect(res.status, JSON.stringify(call)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("does not exist in production, once an identity provider is configured, or without a dev secret (404)", async () => {
    const app = createApp();
    const body = JSON.stringify({ role: "admin", sub: "admin-county", org: "inst-county" });
    for (const override of [{ ENVIRONMENT: "production" }, { AUTH_JWKS_URL: "https://idp.example.org/.well-known/jwks.json" }, { AUTH_DEV_SECRET: undefined }]) {
      const res = await app.request("/api/v1/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body }, { ...env, ...override });
      expect(res.status, JSON.stringify(override)).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as { code: string }).code).toBe("not-found");
    }
  });

  it("keeps its admin list in step with the demo seed", () => {
    expect(DEV_ADMINS).toEqual(DEMO_ADMINS);
  });
});
