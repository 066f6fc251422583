import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "schema/migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: "./worker/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            AUTH_DEV_SECRET: "test-secret-for-vitest-only-0123456789",
            ENVIRONMENT: "test",
            RX_SIGNING_KEY: JSON.stringify({"crv":"Ed25519","d":"pQK7x2hdIWlFDMVC8-Ra4xWj1vzsqDNAg93tbR-lDtk","x":"eeoINDdH6v9UbUqVhnNHkR1Jy5rs4LzNB12Y9Zp1wPs","kty":"OKP","kid":"test-645d803accf8"}),
          },
        },
      }),
    ],
    test: {
      include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
      setupFiles: ["./test/support/apply-migrations.ts"],
    },
  };
});
