/**
 * `npx tsx bench/sign-cost.ts`: what ONE signature costs the server, as CPU time, beside the
 * floor's and validate's. Requests are sent one at a time and workerd's own CPU time (worker
 * JS and the D1 SQLite it hosts, read from /proc) is divided by their number: on a machine
 * shared with other work, the latencies of `npm run bench` move with the neighbours, this
 * much less (it is the time workerd ran, not the time it waited for a core). Same fixtures
 * and drafts as the bench's sign rx (bench/rx.ts). Env: SIGN_COST_REQUESTS (300),
 * BENCH_BUILD, BENCH_OUTDIR.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { fmt, percentile, table } from "./harness.ts";
import { benchSigningKey, loadRxFixtures, RENEWAL, renewalDraft, type SignDoctor, signDraft } from "./rx.ts";
import { applyMigrations, buildWorker, describeBundle, httpRequest, ROOT, startServers, waitReady } from "./server.ts";

const requests = Number(process.env.SIGN_COST_REQUESTS ?? 300);
const build = !/^(0|false|no)$/i.test(process.env.BENCH_BUILD ?? "1");
const outdir = process.env.BENCH_OUTDIR ?? "dist";
const DEV_SECRET = "bench-dev-secret-not-for-production";
const API = "/api/v1";

/** CPU jiffies (user + system) of this process's descendants: the workerd processes Miniflare started. */
async function workerdTicks(): Promise<number> {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = await readFile(`/proc/${name}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(name), Number(f[1]));
      ticks.set(Number(name), Number(f[11]) + Number(f[12]));
    } catch {
      // ended meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let sum = 0;
  for (const [pid, t] of ticks) if (descends(pid)) sum += t;
  return sum;
}

type Send = (i: number) => Promise<{ status: number; ms: number; text: string }>;

/** `n` requests one after the other: workerd CPU ms per request, wall p50/p99, and that every answer was `ok`. */
async function cost(name: string, n: number, send: Send, ok: number) {
  for (let i = 0; i < 20; i++) await send(-1 - i); // warm-up: JIT, caches, the signer's key import
  const before = await workerdTicks();
  const wall: number[] = [];
  let failed = 0;
  let sample = "";
  for (let i = 0; i < n; i++) {
    const res = await send(i);
    wall.push(res.ms);
    if (res.status !== ok) {
      failed++;
      sample ||= `HTTP ${res.status} ${res.text.slice(0, 300)}`;
    }
  }
  const cpuMs = ((await workerdTicks()) - before) * 10; // jiffies of 10 ms (USER_HZ 100)
  wall.sort((a, b) => a - b);
  return { name, requests: n, failed, sample, cpuMsPerRequest: cpuMs / n, wallP50: percentile(wall, 50), wallP99: percentile(wall, 99) };
}

async function main() {
  const bundle = build ? await buildWorker(outdir) : await describeBundle(outdir);
  const signingKey = benchSigningKey();
  const servers = await startServers({ scriptPath: bundle.scriptPath, port: 0, devSecret: DEV_SECRET, signingKey, echoServerLog: false });
  try {
    await applyMigrations(servers.mf);
    await waitReady(`${servers.appUrl}/health`, (s) => s === 200);
    await waitReady(`${servers.floorUrl}/?code=NO-SUCH-CODE`, (s) => s === 404);
    const total = requests + 20;
    const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: total, doctorCount: Math.ceil(total / 20) });
    const { signDevToken } = (await import(new URL("../worker/http/dev-token.ts", import.meta.url).href)) as {
      signDevToken: (secret: string, claims: { sub: string; role: "doctor"; org: string; name: string }) => Promise<string>;
    };
    const tokens = await Promise.all(rx.doctors.map((d) => signDevToken(DEV_SECRET, { sub: d.sub, org: d.org, name: d.name, role: "doctor" })));
    const renewalToken = await signDevToken(DEV_SECRET, { ...RENEWAL.doctor, role: "doctor" });
    const renewal = JSON.stringify(renewalDraft(rx.entries));
    let next = 0;
    const post = (token: string, body: string, extra: Record<string, string> = {}) => ({
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...extra },
      body,
    });
    const results = [
      await cost("floor", requests, () => httpRequest(`${servers.floorUrl}/?code=W185-01`), 200),
      await cost("validate rx (5 items)", requests, () => httpRequest(`${servers.appUrl}${API}/prescriptions/validate`, post(renewalToken, renewal)), 200),
      await cost("sign rx (1-3 items, mixed routes)", requests, () => {
        const n = next++;
        const doctor = rx.doctors[n % rx.doctors.length] as SignDoctor;
        const draft = signDraft(rx.entries, rx.patients[n] as string, n, doctor);
        return httpRequest(`${servers.appUrl}${API}/prescriptions`, post(tokens[n % tokens.length] as string, JSON.stringify(draft), { "idempotency-key": `cost-${n}` }));
      }, 201),
    ];
    console.log(
      table(
        ["requests, one at a time", "n", "failed", "workerd CPU ms/request", "wall p50 ms", "wall p99 ms"],
        results.map((r) => [r.name, r.requests, r.failed, fmt(r.cpuMsPerRequest), fmt(r.wallP50), fmt(r.wallP99)]),
      ),
    );
    for (const r of results) if (r.sample) console.log(`${r.name}: first failure ${r.sample}`);
  } finally {
    await servers.mf.dispose();
    await rm(servers.persistDir, { recursive: true, force: true });
  }
}

await main();
