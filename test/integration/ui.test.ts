import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { loadDemoSeed } from "../support/seed";

const get = (path: string) => exports.default.fetch(new Request(`http://yaolian.test${path}`, { redirect: "manual" }));

describe("web pages", () => {
  beforeAll(loadDemoSeed);

  it("redirects / to the formulary", async () => {
    const res = await get("/");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/ui/formulary");
  });

  it("serves every page without a token, with a strict content security policy", async () => {
    for (const path of ["/ui/login", "/ui/formulary", "/ui/formulary/import", "/ui/formulary/W077-01", "/ui/prescribe"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("content-security-policy")).not.toContain("unsafe-inline");
      const html = await res.text();
      expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
      expect(html).toContain('lang="zh-CN"');
      // nothing inline: every script comes from /ui/assets
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    }
  });

  it("serves the assets the pages load", async () => {
    const page = await (await get("/ui/prescribe")).text();
    const assets = [...page.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets.length).toBe(3);
    for (const path of assets) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/(css|javascript)/);
    }
    expect((await get("/ui/assets/nope.js")).status).toBe(404);
  });

  it("escapes what comes from the URL", async () => {
    const res = await get(`/ui/formulary/${encodeURIComponent('"><script>alert(1)</script>')}`);
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("lists the demo users and the pickup sites from D1 in development", async () => {
    const login = await (await get("/ui/login")).text();
    expect(login).toContain('data-sub="doc-fenglin-village"');
    expect(login).toContain('data-org="inst-fenglin"');
    expect(login).toContain('data-sub="ph-renhe-1"');
    expect(login).toContain('data-sub="admin-county"');
    const prescribe = await (await get("/ui/prescribe")).text();
    expect(prescribe).toContain('value="site-cloud-shimen"');
  });

  it("offers no demo users in production and points to the identity provider", async () => {
    const app = createApp();
    const res = await app.request("/ui/login", {}, { ...env, ENVIRONMENT: "production" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('id="idp-notice"');
    expect(html).not.toContain("data-sub=");
  });
});
