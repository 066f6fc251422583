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
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "node:process";
import { makeEntries } from "./data.ts";
import { fmt } from "./harness.ts";
import { chunkedImport } from "./import-jobs.ts";
import { benchSigningKey, loadRxFixtures, RENEWAL, renewalDraft } from "./rx.ts";
import { applyMigrations, buildWorker, describeBundle, ROOT, startServers, waitReady } from "./server.ts";

const DEV_SECRET = "bench-dev-secret-not-for-production";
const API = "/api/v1";
const small = Number(env.BENCH_ENTRIES ?? 10_000);
const bigRows = Number(env.BENCH_BIG_IMPORT ?? 100_000);
const build = !/^(0|false|no)$/i.test(env.BENCH_BUILD ?? "1");

type SignDevToken = (secret: string, p: { sub: string; role: string; org: string; name: string }) => Promise<string>;

async function main() {
  const startedAt = new Date();
  const bundle = build ? await buildWorker("dist") : await describeBundle("dist");
  const servers = await startServers({ scriptPath: bundle.scriptPath, port: 0, devSecret: DEV_SECRET, signingKey: benchSigningKey(), echoServerLog: env.BENCH_SERVER_LOG === "1" });
  try {
    await applyMigrations(servers.mf);
    await waitReady(`${servers.appUrl}/health`, (s) => s === 200);
    const { signDevToken } = (await import(new URL("../worker/http/dev-token.ts", import.meta.url).href)) as { signDevToken: SignDevToken };
    const admin = await signDevToken(DEV_SECRET, { sub: "bench-admin", role: "admin", org: "inst-county", name: "bench admin" });
    const renewalDoctor = await signDevToken(DEV_SECRET, { ...RENEWAL.doctor, role: "doctor" });
    const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey: benchSigningKey(), patientCount: 1 });
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
  } finally {
    await servers.mf.dispose();
    await rm(servers.persistDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
