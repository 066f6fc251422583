/**
 * Seeds a LOCAL D1 (the SQLite state `wrangler dev` uses) through Miniflare when it is
 * empty: the demo consortium, the NEML formulary, pat-001's signed first long
 * prescription and the cloud pharmacy's queue of the day (seeds/demo-queue.ts). Used by `npm start` (seeds/load.ts) and the browser tests' stack.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import type { Bindings } from "../worker/env";
import { getSigner } from "../worker/signing/signer";
import { DEMO_CONSORTIUM } from "./demo-consortium";
import { demoHistoryStatements } from "./demo-history";
import { demoQueueStatements } from "./demo-queue";
import { demoReportStatements, withDemoVbp } from "./demo-reports";
import { demoReviewStatements } from "./demo-reviews";
import { nemlSeed } from "./neml/convert";
import { seedStatements } from "./seed-sql";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** A variable of a dotenv-style file such as .dev.vars (single quotes allowed). */
export function varFrom(files: string[], name: string): string {
  for (const file of files) {
    if (!existsSync(file)) continue;
    const match = new RegExp(`^${name}\\s*=\\s*'?([^'\\n]+)'?`, "m").exec(readFileSync(file, "utf8"));
    if (match?.[1]) return match[1].trim();
  }
  throw new Error(`${name} is not set in ${files.join(" or ")}`);
}

export interface SeedResult {
  seeded: boolean;
  entries: number;
  unparsed: number;
}

/** `persistTo` is the folder given to `wrangler --persist-to` (default .wrangler/state). */
export async function seedLocalD1(persistTo: string, varFiles: string[]): Promise<SeedResult> {
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const databaseId = /database_id\s*=\s*"([^"]+)"/.exec(toml)?.[1];
  if (!databaseId) throw new Error("no database_id in wrangler.toml");
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch: () => new Response(null, { status: 404 }) }",
    d1Databases: { DB: databaseId },
    d1Persist: path.join(persistTo, "v3", "d1"),
  });
  try {
    const db = await mf.getD1Database("DB");
    const seeded = await db.prepare("SELECT count(*) AS n FROM institutions").first<{ n: number }>();
    if ((seeded?.n ?? 0) > 0) return { seeded: false, entries: 0, unparsed: 0 };
    const neml = nemlSeed(readFileSync(path.join(ROOT, "seeds/neml-2026/varieties.csv"), "utf8"));
    const entries = withDemoVbp(neml.entries);
    const unparsed = neml.unparsed;
    const signer = await getSigner({ RX_SIGNING_KEY: varFrom(varFiles, "RX_SIGNING_KEY") } as Bindings);
    const now = new Date();
    const statements = [
      ...seedStatements(entries, DEMO_CONSORTIUM, now.toISOString()),
      ...(await demoHistoryStatements(signer, entries, 1)),
      ...(await demoQueueStatements(signer, entries, 1, now)),
      ...(await demoReportStatements(signer, entries, 1, now)),
      ...(await demoReviewStatements(signer, entries, 1, now)),
    ];
    await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
    return { seeded: true, entries: entries.length, unparsed: unparsed.length };
  } finally {
    await mf.dispose();
  }
}
