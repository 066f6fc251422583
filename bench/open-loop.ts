/**
 * Open-loop load: requests leave at a fixed arrival rate whatever the answers, as a
 * province's doctors do (a closed loop of c connections sends its next request only when an
 * answer came back, so a slow server is asked less and its queueing never shows). Each
 * request's latency counts from the moment it was due, so a sender that fell behind (its
 * event loop busy) is charged to the figures, not hidden. Scenarios take turns like
 * `measure`, so a change in background load hits them alike.
 */
import http from "node:http";
import os from "node:os";
import { cpuSampler, percentile, type RunResult, type Scenario, Split } from "./harness.ts";

export interface OpenLoopOptions {
  targets: Record<string, string>;
  /** requests per second, per scenario */
  rate: number;
  /** total load time per scenario, split over `rounds` */
  seconds: number;
  rounds: number;
  warmupSeconds: number;
  phase: string;
  /** an answer later than this counts as an error (a timeout) */
  timeoutMs?: number;
  serverLog?: { mark(): number; since(mark: number): string[] };
}

interface Sent {
  status: number;
  body: string;
  ms: number;
  serverTiming?: string | string[];
}

function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body: string | undefined, due: number, timeoutMs: number): Promise<Sent> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      url,
      { method, agent, headers: { ...headers, ...(payload ? { "content-type": "application/json", "content-length": String(payload.byteLength) } : {}) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - due, serverTiming: res.headers["server-timing"] }));
        res.on("error", (err) => resolve({ status: 0, body: err.message, ms: performance.now() - due }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) => resolve({ status: 0, body: err.message, ms: performance.now() - due }));
    if (payload) req.write(payload);
    req.end();
  });
}

/** Sends `rate` requests a second for `seconds`, each at its due time; resolves when every answer is in. */
async function paced(s: Scenario, url: string, rate: number, seconds: number, timeoutMs: number, onAnswer: (r: Sent) => void): Promise<{ seconds: number; maxInFlight: number }> {
  const { spec } = s;
  // keep-alive over a fresh agent per turn: workerd drops connections idle for a few seconds
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const total = Math.max(1, Math.round(rate * seconds));
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const path = typeof spec.path === "function" ? spec.path() : spec.path;
    const headers = typeof spec.headers === "function" ? spec.headers() : (spec.headers ?? {});
    const body = spec.body === undefined ? undefined : JSON.stringify(typeof spec.body === "function" ? (spec.body as () => unknown)() : spec.body);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(
      send(agent, new URL(path, url), s.method, headers, body, due, timeoutMs).then((r) => {
        inFlight--;
        onAnswer(r);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, maxInFlight };
}

/**
 * Loads every scenario at `rate` requests a second: a warm-up of each, then `rounds` rounds
 * in which each runs `seconds / rounds`. Results as `measure`'s (connections 0: open loop),
 * `rps` counted over the time from the first request to the last answer.
 *
 * `okRps` is the rate the answers came at: in each turn, the successful answers after the
 * first, over the time from the first to the last of them. A server that keeps up answers
 * at the arrival rate; one that cannot falls behind, its last answers come late, and the
 * figure drops to what it managed. (Dividing by the time from the first request to the
 * last answer, as before session 10, charged each turn one answer's latency: a server
 * answering every request in a constant 40 ms showed 144/s of 150/s.)
 */
export async function openLoop(scenarios: Scenario[], o: OpenLoopOptions): Promise<(RunResult & { rate: number; maxInFlight: number })[]> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const urlOf = (s: Scenario) => {
    const url = o.targets[s.target];
    if (!url) throw new Error(`scenario ${s.name}: unknown target ${s.target}`);
    return url;
  };
  for (const s of scenarios) {
    if (o.warmupSeconds > 0) await paced(s, urlOf(s), o.rate, o.warmupSeconds, timeoutMs, () => {});
  }
  const tallies = scenarios.map((s) => ({
    s,
    latencies: [] as number[],
    split: new Split(),
    /** successful answers after each turn's first, and the time from its first to its last */
    okIntervals: 0,
    okSpanMs: 0,
    failed: 0,
    socketErrors: 0,
    seconds: 0,
    maxInFlight: 0,
    statusCodes: {} as Record<string, number>,
    errorSamples: [] as string[],
    serverLog: [] as string[],
    loadAverages: [] as number[],
    otherCores: [] as number[],
    ownCores: [] as number[],
  }));
  const slice = o.seconds / Math.max(1, o.rounds);
  for (let round = 0; round < Math.max(1, o.rounds); round++) {
    for (const t of tallies) {
      const ok = t.s.spec.okStatus ?? ((status: number) => status >= 200 && status < 300);
      const mark = o.serverLog?.mark() ?? 0;
      const cpu = await cpuSampler();
      let firstOk = Number.NaN;
      let lastOk = Number.NaN;
      let okCount = 0;
      const turn = await paced(t.s, urlOf(t.s), o.rate, slice, timeoutMs, (r) => {
        t.statusCodes[r.status] = (t.statusCodes[r.status] ?? 0) + 1;
        if (ok(r.status)) {
          t.latencies.push(r.ms);
          t.split.add(r.ms, r.serverTiming);
          const at = performance.now();
          if (okCount++ === 0) firstOk = at;
          lastOk = at;
          return;
        }
        if (r.status === 0) t.socketErrors++;
        else t.failed++;
        if (t.errorSamples.length < 5) t.errorSamples.push(`${r.status ? `HTTP ${r.status}` : "socket"} ${r.body.slice(0, 300)}`);
      });
      t.seconds += turn.seconds;
      if (okCount > 1) {
        t.okIntervals += okCount - 1;
        t.okSpanMs += lastOk - firstOk;
      }
      t.maxInFlight = Math.max(t.maxInFlight, turn.maxInFlight);
      t.serverLog.push(...(o.serverLog?.since(mark) ?? []).slice(0, 5 - t.serverLog.length));
      t.loadAverages.push(Math.round((os.loadavg()[0] ?? 0) * 100) / 100);
      const used = await cpu();
      if (used) {
        t.otherCores.push(used.otherCores);
        t.ownCores.push(used.ownCores);
      }
    }
  }
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);
  return tallies.map((t) => {
    const sorted = [...t.latencies].sort((a, b) => a - b);
    const requests = sorted.length + t.failed + t.socketErrors;
    return {
      scenario: t.s.name,
      phase: o.phase,
      connections: 0,
      rate: o.rate,
      maxInFlight: t.maxInFlight,
      seconds: t.seconds,
      requests,
      rps: requests / t.seconds,
      okRps: t.okSpanMs > 0 ? t.okIntervals / (t.okSpanMs / 1000) : 0,
      latencyMs: {
        mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        p999: percentile(sorted, 99.9),
        max: sorted.at(-1) ?? Number.NaN,
      },
      split: t.split.summary(),
      errors: t.failed + t.socketErrors,
      non2xx: t.failed,
      socketErrors: t.socketErrors,
      timeouts: 0,
      statusCodes: t.statusCodes,
      errorSamples: t.errorSamples,
      serverLogSamples: t.serverLog.slice(0, 5),
      loadAverage1m: Math.max(...t.loadAverages),
      otherProcessesCores: mean(t.otherCores),
      benchProcessesCores: mean(t.ownCores),
      ...(t.s.spec.baseline ? { baseline: t.s.spec.baseline } : {}),
    };
  });
}
