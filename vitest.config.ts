import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { Response as MiniflareResponse } from "miniflare";
import { defineConfig } from "vitest/config";
import { type FakeRequest, handleOutbound } from "./test/support/fake-pharmacy.ts";

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
            // the dev login's explicit opt-in (worker/http/dev-auth.ts)
            DEV_LOGIN: "1",
            // the reliability test signs hundreds of prescriptions as one doctor (test/integration/rate-limits.test.ts checks the real limit)
            RATE_LIMIT_OVERRIDES: JSON.stringify({ "prescriptions.sign.user": 100000 }),
            ENVIRONMENT: "test",
            RX_SIGNING_KEY: JSON.stringify({"crv":"Ed25519","d":"pQK7x2hdIWlFDMVC8-Ra4xWj1vzsqDNAg93tbR-lDtk","x":"eeoINDdH6v9UbUqVhnNHkR1Jy5rs4LzNB12Y9Zp1wPs","kty":"OKP","kid":"test-645d803accf8"}),
            // outbox delivery with test-sized timeouts and backoff (worker/pharmacy/outbox.consumer.ts)
            OUTBOX_TIMEOUT_MS: "250",
            OUTBOX_BACKOFF_BASE_SECONDS: "1",
            OUTBOX_BACKOFF_MAX_SECONDS: "2",
          },
          // a second consortium's database beside DB (test/integration/tenancy.*.test.ts migrate it and name it in
          // their own CONSORTIA; every other test file runs the default one consortium on DB)
          d1Databases: ["DB", "DB_B"],
          // every outbound fetch goes to the fake external pharmacy (test/support/fake-pharmacy.ts), in this Node process
          outboundService: async (request: FakeRequest) => {
            const answer = await handleOutbound(request);
            return new MiniflareResponse(answer.body, { status: answer.status, headers: answer.headers });
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
