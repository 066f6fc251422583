declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** the second consortium's database (vitest.config.ts); migrated only by the tenancy tests */
    DB_B: D1Database;
  }
  interface GlobalProps {
    mainModule: typeof import("../worker/index");
  }
}
