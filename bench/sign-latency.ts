/**
 * Which signatures are slow (issue 12): `BENCH_SIGNS` (1,500) signed at c=10 as the bench
 * signs them (many doctors, the four shapes of signShape) on the bench's formulary
 * (`BENCH_ENTRIES`, 10k, imported first), each latency kept with its
 * shape and start time; prints p50/p99 per shape and the slowest, with what else was in
 * flight. For a p99 far above the p50, this says whether one shape or one moment is to blame.
 *
 *   BENCH_BUILD=0 npx tsx bench/sign-latency.ts
 *   BENCH_CLIENT=autocannon BENCH_BUILD=0 npx tsx bench/sign-latency.ts   # the same signatures through autocannon
 *   BENCH_CLIENT=keepalive BENCH_BUILD=0 npx tsx bench/sign-latency.ts    # node's http on 10 kept-alive connections
 *   BENCH_THINK_MS=3 BENCH_CLIENT=keepalive …                             # each connection pauses 3 ms between requests
 *
 * Each answer's Server-Timing (worker/http/server-timing.ts) splits its latency: the time
 * inside the worker, and the wait before the worker began it (client and server share a clock).
 */
import { env } from "node:process";
import http from "node:http";
import autocannon from "autocannon";
import { makeEntries } from "./data.ts";
import { headerOf, percentile } from "./harness.ts";
import { chunkedImport } from "./import-jobs.ts";
import { loadRxFixtures, type SignDoctor, signDraft, signShape } from "./rx.ts";
import { httpRequest, ROOT } from "./server.ts";
import { runScript, standalone } from "./standalone.ts";
import { parseServerTiming } from "../worker/http/server-timing.ts";

const SIGNS = Number(env.BENCH_SIGNS ?? 1500);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 10);
/** "http" (node's http, a fresh connection per request), "keepalive" (node's http, kept-alive connections) or "autocannon" (npm run bench's client) */
const CLIENT = env.BENCH_CLIENT ?? "http";
/** a pause after each answer before the connection's next request (http and keepalive) */
const THINK_MS = Number(env.BENCH_THINK_MS ?? 0);

interface Done {
  n: number;
  route: string;
  items: number;
  /** when the request was sent, ms after the first */
  atMs: number;
  ms: number;
  /** the worker's own time (Server-Timing), and how long after the send the worker began */
  insideMs: number | null;
  waitedMs: number | null;
}

/** A latency split by the answer's Server-Timing header; `sentAt` is the epoch ms of the send. */
function split(header: string | string[] | undefined, sentAt: number): Pick<Done, "insideMs" | "waitedMs"> {
  const t = parseServerTiming(header);
  return t ? { insideMs: t.appMs, waitedMs: t.startMs - sentAt } : { insideMs: null, waitedMs: null };
}

runScript(() =>
  standalone(async ({ servers, signingKey, token }) => {
    const rx = await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: SIGNS + 10, doctorCount: Math.ceil(SIGNS / 20) + 1 });
    const tokens = await Promise.all(rx.doctors.map((d) => token({ sub: d.sub, org: d.org, name: d.name, role: "doctor" })));
    // the bench's formulary (BENCH_ENTRIES, default 10k) before signing, as npm run bench has it
    const entries = Number(env.BENCH_ENTRIES ?? 10_000);
    if (entries > 0) {
      const admin = await token({ sub: "bench-admin", role: "admin", org: "inst-county", name: "bench admin" });
      const imported = await chunkedImport(servers, admin, `${entries / 1000}k`, makeEntries(entries, { from: 1, seed: 1 }), { floor: null, validate: null });
      if (!imported.ok) throw new Error(`import: ${imported.error}`);
    }
    const t0 = performance.now();
    const done: Done[] = [];
    let n = 0;
    const draftOf = (i: number) => signDraft(rx.entries, rx.patients[i] as string, i, rx.doctors[i % rx.doctors.length] as SignDoctor);
    // the same signatures through autocannon, the client of npm run bench's closed loop (its own latency per response)
    const viaAutocannon = () =>
      new Promise<void>((resolve, reject) => {
        let next = 0;
        const instance = autocannon(
          {
            url: servers.appUrl,
            connections: CONNECTIONS,
            amount: SIGNS,
            requests: [
              {
                method: "POST",
                path: "/api/v1/prescriptions",
                // the answer's headers come just before its latency ("response" below)
                onResponse: (_status, _body, _context, headers) => {
                  lastTiming = headerOf(headers, "server-timing");
                },
                setupRequest: (r) => {
                  const i = next++;
                  return {
                    ...r,
                    headers: { authorization: `Bearer ${tokens[i % rx.doctors.length]}`, "content-type": "application/json", "idempotency-key": `lat-ac-${i}` },
                    body: JSON.stringify(draftOf(i)),
                  };
                },
              },
            ],
          },
          (err) => (err ? reject(err) : resolve()),
        );
        let answered = 0;
        let lastTiming: string | string[] | undefined;
        instance.on("response", (_client, status, _bytes, ms) => {
          if (status !== 201) reject(new Error(`sign: HTTP ${status}`));
          const i = answered++;
          done.push({ n: i, ...signShape(i), atMs: performance.now() - t0 - ms, ms, ...split(lastTiming, performance.timeOrigin + performance.now() - ms) });
        });
      });
    const agent = CLIENT === "keepalive" ? new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS }) : undefined;
    const sign = async (i: number) => {
      const doctor = rx.doctors[i % rx.doctors.length] as SignDoctor;
      const atMs = performance.now() - t0;
      const sentAt = Date.now();
      const res = await httpRequest(`${servers.appUrl}/api/v1/prescriptions`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[i % rx.doctors.length]}`, "content-type": "application/json", "idempotency-key": `lat-${i}` },
        body: JSON.stringify(signDraft(rx.entries, rx.patients[i] as string, i, doctor)),
        agent,
      });
      if (THINK_MS > 0) await new Promise((r) => setTimeout(r, THINK_MS));
      if (res.status !== 201) throw new Error(`sign ${i}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      done.push({ n: i, ...signShape(i), atMs, ms: res.ms, ...split(res.headers["server-timing"], sentAt) });
    };
    if (CLIENT === "autocannon") await viaAutocannon();
    else
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (n < SIGNS) await sign(n++);
        }),
      );
    const seconds = (performance.now() - t0) / 1000;
    console.log(`${SIGNS} signatures at c=${CONNECTIONS} in ${seconds.toFixed(1)} s: ${(SIGNS / seconds).toFixed(1)}/s`);
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `n=${s.length} p50 ${percentile(s, 50).toFixed(1)} ms, p90 ${percentile(s, 90).toFixed(1)}, p99 ${percentile(s, 99).toFixed(1)}, max ${(s.at(-1) ?? 0).toFixed(1)}`;
    };
    console.log(`all: ${stats(done.map((d) => d.ms))}`);
    const timed = done.filter((d) => d.insideMs !== null && d.waitedMs !== null);
    if (timed.length > 0) {
      console.log(`  inside the worker: ${stats(timed.map((d) => d.insideMs as number))}`);
      console.log(`  waited before the worker began: ${stats(timed.map((d) => Math.max(0, d.waitedMs as number)))}`);
    }
    for (const route of new Set(done.map((d) => d.route))) console.log(`${route}: ${stats(done.filter((d) => d.route === route).map((d) => d.ms))}`);
    // does a signature cost more as the database grows? the run in quarters
    const quarter = Math.ceil(SIGNS / 4);
    for (let q = 0; q < 4; q++) {
      const part = done.filter((d) => d.n >= q * quarter && d.n < (q + 1) * quarter);
      if (part.length === 0) continue;
      const span = (Math.max(...part.map((d) => d.atMs + d.ms)) - Math.min(...part.map((d) => d.atMs))) / 1000;
      console.log(`requests ${q * quarter}–${Math.min(SIGNS, (q + 1) * quarter) - 1}: ${(part.length / span).toFixed(1)}/s, ${stats(part.map((d) => d.ms))}`);
    }
    const slowest = [...done].sort((a, b) => b.ms - a.ms).slice(0, 12);
    for (const s of slowest) {
      const overlapping = done.filter((d) => d !== s && d.atMs < s.atMs + s.ms && d.atMs + d.ms > s.atMs);
      console.log(`  #${s.n} ${s.route} ${s.items} items at ${(s.atMs / 1000).toFixed(2)} s: ${s.ms.toFixed(0)} ms: waited ${s.waitedMs?.toFixed(0) ?? "?"} ms, inside the worker ${s.insideMs ?? "?"} ms (${overlapping.length} others overlapped, ${overlapping.filter((o) => o.ms > 250).length} of them also > 250 ms)`);
    }
    const log = servers.log.lines.filter((l) => !/^\s*$/.test(l)).slice(-10);
    if (log.length) console.log(`server log (last lines):\n  ${log.join("\n  ")}`);
  }),
);
