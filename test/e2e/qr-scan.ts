import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { RESULTS } from "./stack";

/** Runs a Debian tool (poppler-utils, zbar-tools; `.ci/run` installs them) and returns what it printed. */
export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Prints the 处方笺 on the page to an A5 PDF, rasterises it at 200 dpi as a printer or a scan
 * would see it (pdftoppm), and reads the QR code back from the image (zbarimg).
 */
export async function printAndScan(page: Page, name: string): Promise<{ pdf: string; decoded: string }> {
  await page.locator('#sheets[data-state="ready"]').waitFor();
  const pdf = path.join(RESULTS, `${name}.pdf`);
  await page.pdf({ path: pdf, format: "A5", printBackground: true });
  expect(readFileSync(pdf).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const pngBase = path.join(RESULTS, name);
  run("pdftoppm", ["-r", "200", "-png", "-singlefile", pdf, pngBase]);
  expect(statSync(`${pngBase}.png`).size).toBeGreaterThan(10_000);
  return { pdf, decoded: run("zbarimg", ["--raw", "-q", `${pngBase}.png`]).trim() };
}

/** Types `text` into /ui/verify as a keyboard-wedge scanner does (the text, then Enter) and waits for the verdict. */
export async function scanIntoVerify(page: Page, text: string, expectValid: boolean): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await page.locator(`#verify[data-valid="${expectValid}"]`).waitFor();
}
