import { existsSync } from "node:fs";

/** Debian's Chromium (`apt-get install chromium`); the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The browser tests fail, never skip, on a machine without Chromium. */
export function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM} (install it with: apt-get install -y --no-install-recommends chromium; .ci/run does). They fail rather than skip without it.`,
    );
  }
}
