/**
 * The big import of `npm run bench` alone (issue 12), to look into what readers wait for:
 * the same servers, migrations and fixtures, then BENCH_ENTRIES (10k) and BENCH_BIG_IMPORT
 * (100k) through the chunked job API with the floor lookup and validate rx probed beside
 * the big one. Prints the probes' percentiles and their slowest answers with the import
 * calls in flight at that moment (a chunk upload or a publish call), and writes
 * bench/results/import-only-latest.json.
 *
 *   npx tsx bench/import-only.ts                 # builds dist/ first
 *   BENCH_BUILD=0 npx tsx bench/import-only.ts   # reuses dist/ as it is
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "node:process";
import { makeEntries } from "./data.ts";
import { fmt } from "./harness.ts";
import { chunkedImport } from "./import-jobs.ts";
import { loadRxFixtures, RENEWAL, renewalDraft } from "./rx.ts";
import { ROOT } from "./server.ts";
import { runScript, standalone } from "./standalone.ts";

const API = "/api/v1";
const small = Number(env.BENCH_ENTRIES ?? 10_000);
const bigRows = Number(env.BENCH_BIG_IMPORT ?? 100_000);

runScript(async () => {
  const startedAt = new Date();
  await standalone(async ({ bundle, servers, signingKey, token }) => {
    const admin = await token({ sub: "bench-admin", role: "admin", org: "inst-county", name: "bench admin" });
    const renewalDoctor = await token({ ...RENEWAL.doctor, role: "doctor" });
    const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: 1 });
    const none = { floor: null, validate: null };
    const first = await chunkedImport(servers, admin, `${small / 1000}k`, makeEntries(small, { from: 1, seed: 1 }), none);
    if (!first.ok) throw new Error(`the ${small}-row import failed: ${first.error}`);
    const big = await chunkedImport(servers, admin, `${bigRows / 1000}k`, makeEntries(bigRows, { from: small + 1, seed: 2 }), {
      floor: { url: `${servers.floorUrl}/?code=B00001`, ok: (s) => s === 200 },
      validate: {
        url: `${servers.appUrl}${API}/prescriptions/validate`,
        method: "POST",
        headers: { authorization: `Bearer ${renewalDoctor}`, "content-type": "application/json" },
        body: JSON.stringify(renewalDraft(rx.entries)),
        ok: (s) => s === 200,
      },
    });
    for (const [name, stats] of [
      ["floor", big.readsDuringImport],
      ["validate", big.validateDuringImport],
    ] as const) {
      if (!stats) continue;
      console.log(`${name}: ${stats.count} answers, p50 ${fmt(stats.p50Ms, 0)} ms, p99 ${fmt(stats.p99Ms, 0)} ms, max ${fmt(stats.maxMs, 0)} ms, ${stats.errors} errors; slowest:`);
      for (const s of stats.slowest) console.log(`  at ${fmt(s.atMs / 1000, 2)} s: ${s.ms} ms during ${s.during.join(", ") || "no import call"}`);
    }
    const file = path.join(ROOT, "bench/results/import-only-latest.json");
    await writeFile(file, `${JSON.stringify({ kind: "import-only", startedAt, bundle: bundle.sha256, first, big }, null, 2)}\n`);
    console.log(`results: ${path.relative(ROOT, file)}`);
  });
});
