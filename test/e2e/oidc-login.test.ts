/**
 * Production sign-in against a real OpenID Connect provider (oidc-provider, its own login
 * and consent pages) started here on a loopback port, with a second local stack configured
 * as a deployment would be: AUTH_ISSUER / AUTH_JWKS_URL / AUTH_AUDIENCE / OIDC_CLIENT_ID,
 * and no DEV_LOGIN. Nothing of the protocol is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, type Session } from "./browser";
import { ACCOUNTS, AUDIENCE, CLIENT_ID, type Idp, startIdp } from "./oidc-idp";
import { freePort, type Stack, startStack } from "./stack";

const DOCTOR = "doc-fenglin-village";

describe("sign-in through the identity provider (OpenID Connect, PKCE)", () => {
  let idp: Idp;
  let stack: Stack;
  let s: Session;

  beforeAll(async () => {
    const port = await freePort();
    idp = await startIdp(`http://127.0.0.1:${port}`);
    stack = await startStack({
      port,
      logName: "e2e-oidc-server.log",
      vars: { AUTH_ISSUER: idp.issuer, AUTH_JWKS_URL: idp.jwksUrl, AUTH_AUDIENCE: AUDIENCE, OIDC_CLIENT_ID: CLIENT_ID, OIDC_SCOPE: "openid profile api" },
    });
    s = await openBrowser(stack.url);
  });
  afterAll(async () => {
    await s?.close();
    await stack?.stop();
    await idp?.stop();
  });

  const api = (path: string, token: string) => fetch(`${stack.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  const storedToken = async (): Promise<string | null> => {
    const value: unknown = await s.page.evaluate("sessionStorage.getItem('yaolian.token')");
    return typeof value === "string" ? value : null;
  };

  it("signs a doctor in through the provider's pages, lands on next= with the doctor's role, calls the API, logs out of both", async () => {
    const { page } = s;
    await page.goto("/ui/login?next=%2Fui%2Fprescriptions");
    // a deployment's login page: the provider's button, no demo users
    expect(await page.locator("button[data-sub]").count()).toBe(0);
    const csp = (await page.request.get("/ui/login")).headers()["content-security-policy"];
    expect(csp).toContain(`connect-src 'self' ${idp.issuer}`);

    const authRequest = page.waitForRequest((req) => req.url().startsWith(`${idp.issuer}/auth?`));
    await page.locator("#oidc-login").click();
    const authorize = new URL((await authRequest).url());
    await page.locator('input[name="login"]').fill(DOCTOR);
    await page.locator('input[name="password"]').fill("any");
    await page.locator('button[type="submit"]').click();
    // the provider's consent page
    await page.locator('button[type="submit"]').click();

    await page.waitForURL((url) => url.origin === stack.url && url.pathname === "/ui/prescriptions");
    await expect.poll(() => page.locator("#who-name").textContent()).toContain(ACCOUNTS[DOCTOR]?.name ?? "?");
    expect(await page.locator("#who-name").textContent()).toContain("医师");
    // the code went to the login page, never the token; the history keeps neither
    expect(page.url()).not.toContain("code=");

    const token = await storedToken();
    expect(token).toBeTruthy();
    const claims: Record<string, unknown> = JSON.parse(Buffer.from(token?.split(".")[1] ?? "", "base64url").toString());
    expect(claims).toMatchObject({ iss: idp.issuer, aud: AUDIENCE, sub: DOCTOR, role: "doctor", org: "inst-fenglin" });
    // the page's own API call, and one from outside with the same token
    await expect.poll(() => page.locator("main").textContent()).not.toContain("请先登录");
    expect((await api("/prescriptions?scope=mine", token ?? "")).status).toBe(200);

    // logout: the token leaves the tab and the provider's session ends (its confirmation page)
    await page.locator("#logout").click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('button[name="logout"]').click();
    await page.waitForURL((url) => url.origin === stack.url && url.pathname === "/ui/login");
    expect(await storedToken()).toBeNull();

    // signed out of the provider too: signing in again asks for the password again
    await page.locator("#oidc-login").click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').waitFor();
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(s.errors).toEqual([]);
  });

  it("refuses an answer whose state this tab did not send", async () => {
    const { page } = s;
    await page.goto("/ui/login");
    await page.locator("#oidc-login").click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    // a forged callback (another tab's or an attacker's code) arrives instead of the real one
    await page.goto("/ui/login?code=forged-code&state=forged-state");
    await expect.poll(() => page.locator("#oidc-msg").textContent()).toContain("state 不符");
    expect(await storedToken()).toBeNull();
    expect(new URL(page.url()).search).toBe("");
  });

  it("the API refuses forged, expired and other-audience tokens of this provider's shape, and accepts its own", async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: idp.issuer, aud: AUDIENCE, sub: DOCTOR, role: "doctor", org: "inst-fenglin", name: "曹德贵", iat: now, exp: now + 600 };
    expect((await api("/prescriptions?scope=mine", await idp.signToken(base))).status).toBe(200);
    const refused = [
      await idp.signToken({ ...base, iat: now - 7200, exp: now - 3600 }),
      await idp.signToken({ ...base, aud: "another-app" }),
      await idp.signToken({ ...base, iss: "http://127.0.0.1:1" }),
    ];
    // a valid token with its payload changed (role raised to admin): the signature no longer matches
    const [head, , sig] = (await idp.signToken(base)).split(".");
    refused.push(`${head}.${Buffer.from(JSON.stringify({ ...base, role: "admin" })).toString("base64url")}.${sig}`);
    for (const token of refused) {
      const res = await api("/prescriptions?scope=mine", token);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("an expired or refused token sends the user back to sign in, next= kept", async () => {
    const { page } = s;
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: idp.issuer, aud: AUDIENCE, sub: DOCTOR, role: "doctor", org: "inst-fenglin", name: "曹德贵" };
    const expired = await idp.signToken({ ...base, iat: now - 7200, exp: now - 3600 });
    // not expired by the tab's clock, but the API refuses it (another audience): the 401 path
    const refused = await idp.signToken({ ...base, aud: "another-app", iat: now, exp: now + 600 });
    for (const token of [expired, refused]) {
      await page.goto("/ui/login");
      await page.evaluate(`sessionStorage.setItem('yaolian.token', ${JSON.stringify(token)})`);
      await page.goto("/ui/prescriptions");
      await page.locator('main a[href="/ui/login?next=%2Fui%2Fprescriptions"]').first().waitFor();
      expect(await storedToken()).toBeNull();
    }
  });

  it("offers no dev login where a provider is configured", async () => {
    const res = await fetch(`${stack.url}/api/v1/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ role: "doctor", sub: DOCTOR, org: "inst-fenglin" }) });
    expect(res.status).toBe(404);
  });
});
