import { defineConfig } from "vitest/config";

/**
 * Browser tests: plain Node (not the workers pool) driving Debian's Chromium through
 * playwright-core against the real local stack (`wrangler dev` on a fresh, seeded D1),
 * which test/e2e/global-setup.ts starts once and stops at the end. One file at a time:
 * the flows share one server and one database.
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
