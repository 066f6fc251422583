import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { assertChromium, CHROMIUM } from "./chromium";
import { RESULTS } from "./stack";

export interface Session {
  context: BrowserContext;
  page: Page;
  /** uncaught page errors and console errors other than failed loads (the API answering 4xx) */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A fresh Chromium: its own empty profile directory, no background networking (the
 * machine's network is closed), headless. Browser console errors and page errors are
 * collected so a test can assert the page ran cleanly.
 */
export async function openBrowser(baseUrl: string): Promise<Session> {
  assertChromium();
  const profile = mkdtempSync(path.join(os.tmpdir(), "yaolian-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    baseURL: baseUrl,
    viewport: { width: 1280, height: 900 },
    locale: "zh-CN",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) errors.push(`console: ${msg.text()}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the development login page as one of the demo users. */
export async function loginAs(page: Page, sub: string, next?: string): Promise<void> {
  await page.goto(`/ui/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.locator(`button[data-sub="${sub}"]`).click();
  await page.waitForURL((url) => url.pathname !== "/ui/login");
  await page.locator("#who-name").waitFor();
}

/**
 * Types `text` into a search combobox (`input`, with its listbox `list`),
 * moves with ↓ to the option whose data-id is `id` and answers that option, still highlighted,
 * for the caller to check before it presses Enter. Fails when the search did not list `id`.
 */
export async function arrowToOption(page: Page, input: string, list: string, text: string, id: string) {
  await page.locator(input).fill(text);
  const options = page.locator(`${list} [role=option]`);
  await options.first().waitFor();
  const ids = await Promise.all((await options.all()).map((o) => o.getAttribute("data-id")));
  const at = ids.indexOf(id);
  if (at < 0) throw new Error(`searching ${text} in ${input} did not list ${id} (listed: ${ids.join(", ")})`);
  for (let i = 0; i < at; i++) await page.locator(input).press("ArrowDown");
  return options.nth(at);
}

/** A full-page screenshot of the final state, in test-results/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
