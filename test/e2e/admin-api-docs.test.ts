import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import path from "node:path";
import { openBrowser, type Session } from "./browser";
import { RESULTS } from "./stack";

/** /api/docs on a machine without internet: every request that leaves the local stack is refused. */
describe("API docs offline", () => {
  let s: Session;
  const leaving: string[] = [];
  beforeAll(async () => {
    s = await openBrowser(inject("baseUrl"));
    await s.context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === "data:" || url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
      leaving.push(url.href);
      return route.abort("internetdisconnected");
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("renders the operations from the worker's own assets, asking nothing of the internet", { timeout: 180_000 }, async () => {
    const { page } = s;
    const res = await page.goto("/api/docs");
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("default-src 'none'");
    // RapiDoc renders into its shadow root; its text is read there (parsing the 75-operation
    // document takes a while on a busy machine, hence the generous wait)
    // an expression: the Node typecheck has no DOM types (page.evaluate of a string is not eval, so the CSP allows it)
    const shadowText = `document.querySelector("rapi-doc")?.shadowRoot?.textContent ?? ""`;
    const rendered = async () => String(await page.evaluate(shadowText));
    // polled from here: a string predicate in the page would need 'unsafe-eval', which the docs' CSP refuses
    const showing = (text: string) => expect.poll(rendered, { timeout: 90_000, interval: 500 }).toContain(text);
    await showing("The audit log, newest first");
    const nav = await rendered();
    // the navigation lists every operation by its summary, grouped by tag
    for (const summary of ["Change one setting (admins)", "Register a practitioner", "Search the formulary", "Audit log", "Consortium settings"]) expect(nav).toContain(summary);
    // the viewport only: the navigation lists all 75 operations, far too tall for a full-page shot
    await page.screenshot({ path: path.join(RESULTS, "admin-api-docs.png") });
    expect(leaving).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
