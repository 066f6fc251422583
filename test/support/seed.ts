import { env } from "cloudflare:workers";
import { prepare } from "../../worker/db/bulk";
import { DEMO_CONSORTIUM } from "../../seeds/demo-consortium";
import { nemlSeed } from "../../seeds/neml/convert";
import { demoHistoryStatements } from "../../seeds/demo-history";
import { seedStatements } from "../../seeds/seed-sql";
import { getSigner } from "../../worker/signing/signer";
import csvText from "../../seeds/neml-2026/varieties.csv?raw";

export const SEED_AT = "2026-09-01T00:00:00.000Z";

/** Loads the demo consortium and the NEML formulary into this test file's D1, once. */
export function loadDemoSeed(): Promise<void> {
  return loadDemoSeedInto(env.DB);
}

/** The same into another consortium's database (the tenancy tests' DB_B), once. */
export async function loadDemoSeedInto(database: D1Database): Promise<void> {
  const done = await database.prepare("SELECT count(*) AS n FROM institutions").first<{ n: number }>();
  if ((done?.n ?? 0) > 0) return;
  const { entries } = nemlSeed(csvText);
  const history = await demoHistoryStatements(await getSigner(env), entries, 1);
  await database.batch([...seedStatements(entries, DEMO_CONSORTIUM, SEED_AT), ...history].map((s) => prepare(database, s)));
}
