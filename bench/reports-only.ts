/**
 * The reports-on-a-year phase of `npm run bench` without the rest (issue 12): the same
 * servers and migrations, the demo consortium and 10k formulary entries, BENCH_REPORTS_RX
 * (2M) prescriptions with their orders and events built in D1 with their rollups, then the
 * floor lookup and every report route for one month at c=1 and c=10 (BENCH_SECONDS each,
 * default 3). Prints p50/p99 per route and writes bench/results/reports-only-latest.json.
 *
 *   npx tsx bench/reports-only.ts                 # builds dist/ first
 *   BENCH_BUILD=0 BENCH_REPORTS_RX=500000 npx tsx bench/reports-only.ts
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "node:process";
import { makeEntries } from "./data.ts";
import { fmt, measure, type RunResult, scenario } from "./harness.ts";
import { chunkedImport } from "./import-jobs.ts";
import { buildYear, REPORT_MONTH, reportScenarios } from "./reports-scale.ts";
import { loadRxFixtures } from "./rx.ts";
import { ROOT } from "./server.ts";
import { runScript, standalone } from "./standalone.ts";

const rx = Number(env.BENCH_REPORTS_RX ?? 2_000_000);
const seconds = Number(env.BENCH_SECONDS ?? 3);

runScript(async () => {
  const startedAt = new Date();
  await standalone(async ({ bundle, servers, signingKey, token }) => {
    const admin = await token({ sub: "bench-admin", role: "admin", org: "inst-county", name: "bench admin" });
    // 300 doctors at 60 institutions, as `npm run bench` has them when the reports phase runs
    await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: 1, doctorCount: 300 });
    const entries = await chunkedImport(servers, admin, "10k", makeEntries(10_000, { from: 1, seed: 1 }), { floor: null, validate: null });
    if (!entries.ok) throw new Error(`the 10k import failed: ${entries.error}`);
    const built = await buildYear(servers.mf, rx);
    const floor = scenario({ name: "floor", target: "floor", path: "/?code=B00001" });
    const targets = { app: servers.appUrl, floor: servers.floorUrl };
    const runs: RunResult[] = [];
    for (const connections of [1, 10]) {
      const phase = `reports c=${connections}`;
      runs.push(...(await measure([floor, ...reportScenarios("/api/v1", admin)], { targets, seconds, rounds: 1, warmupSeconds: 0.5, connections, phase })));
      console.log(`\n${phase} on ${built.prescriptions.toLocaleString("en")} prescriptions, month=${REPORT_MONTH}`);
      for (const r of runs.filter((x) => x.connections === connections)) {
        console.log(`  ${r.scenario.padEnd(28)} ${String(r.requests).padStart(6)} req  p50 ${fmt(r.latencyMs.p50, 1).padStart(7)} ms  p99 ${fmt(r.latencyMs.p99, 1).padStart(7)} ms  errors ${r.errors}`);
      }
    }
    const file = path.join(ROOT, "bench/results/reports-only-latest.json");
    await writeFile(file, `${JSON.stringify({ kind: "reports-only", startedAt, bundle: bundle.sha256, built, runs }, null, 2)}\n`);
    console.log(`results: ${path.relative(ROOT, file)}`);
  });
});
