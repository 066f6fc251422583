/**
 * Loads the demo seed into the LOCAL D1 when it is empty (used by `npm start`).
 * It opens the same SQLite state `wrangler dev` uses (.wrangler/state/v3/d1, same
 * database id) through Miniflare and runs the statements the tests use, bound and
 * batched: `wrangler d1 execute --file` needs minutes to split a seed this size.
 * Run again on a seeded database: does nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { DEMO_CONSORTIUM } from "./demo-consortium";
import { nemlSeed } from "./neml/convert";
import type { Bindings } from "../worker/env";
import { getSigner } from "../worker/prescriptions/signing";
import { demoHistoryStatements } from "./demo-history";
import { seedStatements } from "./seed-sql";

/** A value from .dev.vars (created by npm start from .dev.vars.example). */
function devVar(name: string): string {
  for (const file of [".dev.vars", ".dev.vars.example"]) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    const match = new RegExp(`^${name}\\s*=\\s*'?([^'\\n]+)'?`, "m").exec(readFileSync(full, "utf8"));
    if (match?.[1]) return match[1].trim();
  }
  throw new Error(`${name} is not set in .dev.vars`);
}

const root = path.resolve(import.meta.dirname, "..");
const wranglerToml = readFileSync(path.join(root, "wrangler.toml"), "utf8");
const databaseId = /database_id\s*=\s*"([^"]+)"/.exec(wranglerToml)?.[1];
if (!databaseId) throw new Error("no database_id in wrangler.toml");

const mf = new Miniflare({
  modules: true,
  script: "export default { fetch: () => new Response(null, { status: 404 }) }",
  d1Databases: { DB: databaseId },
  d1Persist: path.join(root, ".wrangler", "state", "v3", "d1"),
});
try {
  const db = await mf.getD1Database("DB");
  const seeded = await db.prepare("SELECT count(*) AS n FROM institutions").first<{ n: number }>();
  if ((seeded?.n ?? 0) > 0) {
    console.log("[seed] local database already seeded; nothing to do");
  } else {
    const csv = readFileSync(path.join(root, "seeds/neml-2026/varieties.csv"), "utf8");
    const { entries, unparsed } = nemlSeed(csv);
    const signer = await getSigner({ RX_SIGNING_KEY: devVar("RX_SIGNING_KEY") } as Bindings);
    const statements = [...seedStatements(entries, DEMO_CONSORTIUM, new Date().toISOString()), ...(await demoHistoryStatements(signer, entries, 1))];
    await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
    console.log(
      `[seed] loaded ${entries.length} formulary entries (${unparsed.length} NEML items reported unparsed: seeds/neml/NOTES.md) and the demo consortium (seeds/README.md)`,
    );
  }
} finally {
  await mf.dispose();
}
