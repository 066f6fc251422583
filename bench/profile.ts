/**
 * Where the CPU of a request goes (issue 12): a V8 CPU profile of every isolate workerd
 * runs (the app, and Miniflare's own D1 worker when it is listed) while one workload runs,
 * summarised as the functions with the most self time, and written as .cpuprofile files
 * (open them in Chrome DevTools' Performance panel) under bench/results/profiles/.
 *
 *   npx tsx bench/profile.ts sign          # sign rx at c=10 (many doctors, as the bench signs)
 *   npx tsx bench/profile.ts import        # a 20k chunked import (upload and publish)
 *   npx tsx bench/profile.ts reports       # every report route at c=10 on a year of BENCH_REPORTS_RX (300k) prescriptions
 *   BENCH_PROFILE_REPORTS=turnaround npx tsx bench/profile.ts reports   # only the report scenarios named so
 *   BENCH_BUILD=0 npx tsx bench/profile.ts sign   # reuse dist/ as it is
 *
 * The workerd process is one thread: the app's JavaScript, the D1 worker's and SQLite
 * share it, so the profile's idle share is what the bench's other core waits on.
 * Profiling slows the isolates down; compare shares, not milliseconds, with the bench.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "node:process";
import WebSocket from "ws";
import { makeEntries } from "./data.ts";
import { chunkedImport } from "./import-jobs.ts";
import { buildYear, reportScenarios } from "./reports-scale.ts";
import { loadRxFixtures, type SignDoctor, signDraft } from "./rx.ts";
import { httpRequest, ROOT } from "./server.ts";
import { runScript, type Standalone, standalone } from "./standalone.ts";

const API = "/api/v1";
const INSPECTOR_PORT = Number(env.BENCH_INSPECTOR_PORT ?? 9329);
const workload = process.argv[2] ?? "sign";
const SIGN_REQUESTS = Number(env.BENCH_PROFILE_SIGNS ?? 600);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One inspector session: send a method, await its answer. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let next = 1;
  const pending = new Map<number, (v: unknown) => void>();
  ws.on("message", (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => ws.close() };
}

/** Self time per function (ms), and where it is. */
function summarise(profile: Profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const f = byId.get(id)?.callFrame;
    const name = `${f?.functionName || "(anonymous)"} ${f?.url ? `${path.basename(f.url)}:${(f.lineNumber ?? 0) + 1}` : ""}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    total += ms;
  }
  return { totalMs: total, top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top) };
}

async function main({ servers, signingKey, token }: Standalone) {
  // 300 doctors at least: 60 institutions, as the bench's reports phase has them
  const doctors = Math.max(workload === "reports" ? 300 : 0, Math.ceil(SIGN_REQUESTS / 20) + 1);
  const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: SIGN_REQUESTS + 50, doctorCount: doctors });
  const tokens = await Promise.all(rx.doctors.map((d) => token({ sub: d.sub, org: d.org, name: d.name, role: "doctor" })));
  const admin = await token({ sub: "bench-admin", role: "admin", org: "inst-county", name: "bench admin" });

  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`)).json()) as { id: string; title?: string; webSocketDebuggerUrl: string }[];
  console.log(`inspector targets: ${targets.map((t) => t.title ?? t.id).join(", ")}`);
  const sessions = await Promise.all(targets.map(async (t) => ({ name: t.title ?? t.id, ...(await connect(t.webSocketDebuggerUrl)) })));
  for (const s of sessions) {
    await s.send("Profiler.enable");
    await s.send("Profiler.setSamplingInterval", { interval: 200 });
  }
  // warm up, then profile
  const sign = async (n: number) => {
    const doctor = rx.doctors[n % rx.doctors.length] as SignDoctor;
    const res = await httpRequest(`${servers.appUrl}${API}/prescriptions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens[n % rx.doctors.length]}`, "content-type": "application/json", "idempotency-key": `profile-${n}` },
      body: JSON.stringify(signDraft(rx.entries, rx.patients[n] as string, n, doctor)),
    });
    if (res.status !== 201) throw new Error(`sign ${n}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  };
  let n = 0;
  if (workload === "sign") for (; n < 20; n++) await sign(n);
  const only = env.BENCH_PROFILE_REPORTS; // e.g. "indicators": the report scenarios whose name holds it
  const reports = reportScenarios(API, admin)
    .filter((r) => !only || r.name.includes(only))
    .map((r) => `${servers.appUrl}${typeof r.spec.path === "string" ? r.spec.path : ""}`);
  const askReports = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await Promise.all(
        reports.map(async (url) => {
          const res = await httpRequest(url, { headers: { authorization: `Bearer ${admin}` } });
          if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
        }),
      );
    }
  };
  if (workload === "reports") {
    await chunkedImport(servers, admin, "1k", makeEntries(1_000, { from: 1, seed: 1 }), { floor: null, validate: null });
    await buildYear(servers.mf, Number(env.BENCH_REPORTS_RX ?? 300_000));
    await askReports(5);
  }
  for (const s of sessions) await s.send("Profiler.start");
  const started = performance.now();
  let what: string;
  if (workload === "import") {
    const result = await chunkedImport(servers, admin, "20k", makeEntries(20_000, { from: 1, seed: 1 }), { floor: null, validate: null });
    what = `20k chunked import: ${result.ok ? "ok" : result.error}`;
  } else if (workload === "reports") {
    await askReports(50);
    what = `50 rounds of the ${reports.length} report routes at once`;
  } else {
    const first = n;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (n < SIGN_REQUESTS) await sign(n++);
      }),
    );
    what = `${SIGN_REQUESTS - first} signatures at c=10`;
  }
  const wallMs = performance.now() - started;
  const dir = path.join(ROOT, "bench/results/profiles");
  await mkdir(dir, { recursive: true });
  console.log(`${what} in ${Math.round(wallMs)} ms`);
  for (const s of sessions) {
    const { profile } = (await s.send("Profiler.stop")) as { profile: Profile };
    s.close();
    const file = path.join(dir, `${workload}-${s.name.replace(/[^a-z0-9-]+/gi, "_")}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const { totalMs, top } = summarise(profile);
    const idle = top.find(([name]) => name.startsWith("(idle)"))?.[1] ?? 0;
    console.log(`\n${s.name}: ${Math.round(totalMs)} ms sampled, ${Math.round(totalMs - idle)} ms busy (${path.relative(ROOT, file)})`);
    for (const [name, ms] of top) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${((ms / Math.max(1, totalMs - idle)) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}

runScript(() => standalone(main, { inspectorPort: INSPECTOR_PORT }));
