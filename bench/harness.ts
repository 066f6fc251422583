/**
 * Load scenarios and their measurement. A scenario is one kind of request against one of
 * the servers; adding one is a `scenario({ ... })` entry in the `scenarios` array of bench/run.ts:
 *
 *   scenario({ name: "validate rx", target: "app", method: "POST", path: "/api/v1/prescriptions/validate",
 *              headers: auth(doctor), body: () => aPrescription(), baseline: "floor" })
 *
 * Scenarios take turns in short slices (see `measure`). Latency percentiles are computed
 * here from every response time (autocannon's own histogram stores whole milliseconds,
 * too coarse for ~1 ms requests).
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { parseServerTiming } from "../worker/http/server-timing.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ScenarioSpec {
  name: string;
  /** which server to hit: a key of the `targets` passed to `measure` (here "app" or "floor") */
  target: string;
  method?: Method;
  /** a fixed path, or a function called for every request (random codes, cycling queries) */
  path: string | (() => string);
  /** fixed headers, or a function called for every request (e.g. a unique Idempotency-Key) */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** a JSON body: a value (serialised once) or a function called for every request */
  body?: unknown;
  /** the scenario whose p99 this one is compared with, at the same connection count */
  baseline?: string;
  /** statuses that count as success; default 200..299 */
  okStatus?: (status: number) => boolean;
  /** run only at these connection counts (default: every one) */
  connections?: number[];
}

export interface Scenario extends Required<Pick<ScenarioSpec, "name" | "target" | "method">> {
  spec: ScenarioSpec;
}

export function scenario(spec: ScenarioSpec): Scenario {
  return { name: spec.name, target: spec.target, method: spec.method ?? (spec.body === undefined ? "GET" : "POST"), spec };
}

export interface RunResult {
  scenario: string;
  phase: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  /** successful responses per second (okStatus), e.g. signed prescriptions per second */
  okRps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p999: number; max: number };
  /**
   * The same answers split by their Server-Timing header (worker/http/server-timing.ts):
   * `insideMs`, the worker's own time; `outsideMs`, the rest of each latency (waiting before
   * the worker took the request, and the transfer). Null when the server sent no header.
   */
  split: { insideMs: Percentiles; outsideMs: Percentiles } | null;
  errors: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  errorSamples: string[];
  serverLogSamples: string[];
  /** highest 1-minute load average seen at the end of a turn */
  loadAverage1m: number;
  /** cores kept busy by other processes during the turns (mean): above ~0.2 the figures are disturbed */
  otherProcessesCores: number | null;
  /** cores used by the bench itself (autocannon + workerd) */
  benchProcessesCores: number | null;
  baseline?: string;
  p50VsBaseline?: number | null;
  p99VsBaseline?: number | null;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

const percentiles = (xs: number[]): Percentiles => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

export interface MeasureOptions {
  targets: Record<string, string>;
  connections: number;
  /** total load time per scenario, split over `rounds` */
  seconds: number;
  /**
   * The scenarios take turns, `seconds / rounds` each, so that a change in background load
   * (a shared machine) hits them all alike instead of skewing their ratios.
   */
  rounds: number;
  warmupSeconds: number;
  phase: string;
  /** server log lines printed during the run (errors inside workerd) */
  serverLog?: { mark(): number; since(mark: number): string[] };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** A header by its name in any case, out of headers as a client library hands them over. */
export function headerOf(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | string[] | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** The worker's own time and the rest of each latency, gathered answer by answer (RunResult.split). */
export class Split {
  readonly inside: number[] = [];
  readonly outside: number[] = [];

  /** one successful answer: its latency and its Server-Timing header */
  add(latencyMs: number, header: string | string[] | undefined): void {
    const t = parseServerTiming(header);
    if (!t) return;
    this.inside.push(t.appMs);
    this.outside.push(Math.max(0, latencyMs - t.appMs));
  }

  summary(): RunResult["split"] {
    return this.inside.length > 0 ? { insideMs: percentiles(this.inside), outsideMs: percentiles(this.outside) } : null;
  }
}

function request(spec: ScenarioSpec, method: Method, onBody: (status: number, body: string, timing: string | string[] | undefined) => void): autocannon.Request {
  const pathOf = typeof spec.path === "function" ? spec.path : () => spec.path as string;
  const bodyFn = typeof spec.body === "function" ? (spec.body as () => unknown) : undefined;
  const fixedBody = spec.body !== undefined && !bodyFn ? JSON.stringify(spec.body) : undefined;
  const headersFn = typeof spec.headers === "function" ? spec.headers : undefined;
  const fixedHeaders = typeof spec.headers === "function" ? {} : spec.headers;
  const headers: Record<string, string> = { ...fixedHeaders, ...(spec.body !== undefined ? { "content-type": "application/json" } : {}) };
  const req: autocannon.Request = { method, path: pathOf(), headers, ...(fixedBody !== undefined ? { body: fixedBody } : {}) };
  if (typeof spec.path === "function" || bodyFn || headersFn) {
    // autocannon builds each request (and calls this) just before it sends it
    req.setupRequest = (r) => ({
      ...r,
      path: pathOf(),
      ...(headersFn ? { headers: { ...r.headers, ...headersFn() } } : {}),
      ...(bodyFn ? { body: JSON.stringify(bodyFn()) } : {}),
    });
  }
  // autocannon keeps the header names as the server wrote them ("Server-Timing")
  req.onResponse = (status, body, _context, headers) => onBody(status, body, headerOf(headers, "server-timing"));
  return req;
}

async function cannon(url: string, connections: number, seconds: number, req: autocannon.Request, onLatency?: (status: number, ms: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, requests: [req] }, (err, result) => (err ? reject(err) : resolve(result)));
    if (onLatency) instance.on("response", (_client, status, _bytes, ms) => onLatency(status, ms));
  });
}

/** What one scenario gathered over its turns. */
class Tally {
  latencies: number[] = [];
  split = new Split();
  failed = 0;
  seconds = 0;
  socketErrors = 0;
  timeouts = 0;
  mismatches = 0;
  statusCodes: Record<string, number> = {};
  errorSamples: string[] = [];
  serverLog: string[] = [];
  loadAverages: number[] = [];
  otherCores: number[] = [];
  ownCores: number[] = [];

  constructor(readonly s: Scenario) {}

  summary(o: MeasureOptions): RunResult {
    const latencies = [...this.latencies].sort((a, b) => a - b);
    const requests = latencies.length + this.failed;
    const errorSamples = [...this.errorSamples];
    if (this.socketErrors > 0) errorSamples.push(`${this.socketErrors} socket errors (${this.timeouts} timeouts)`);
    return {
      scenario: this.s.name,
      phase: o.phase,
      connections: o.connections,
      seconds: this.seconds,
      requests,
      rps: requests / this.seconds,
      okRps: latencies.length / this.seconds,
      latencyMs: {
        mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
        p50: percentile(latencies, 50),
        p90: percentile(latencies, 90),
        p99: percentile(latencies, 99),
        p999: percentile(latencies, 99.9),
        max: latencies.at(-1) ?? Number.NaN,
      },
      split: this.split.summary(),
      errors: this.failed + this.socketErrors + this.mismatches,
      non2xx: this.failed,
      socketErrors: this.socketErrors,
      timeouts: this.timeouts,
      statusCodes: this.statusCodes,
      errorSamples,
      serverLogSamples: this.serverLog.slice(0, 5),
      loadAverage1m: Math.max(...this.loadAverages),
      otherProcessesCores: this.otherCores.length ? round2(this.otherCores.reduce((a, b) => a + b, 0) / this.otherCores.length) : null,
      benchProcessesCores: this.ownCores.length ? round2(this.ownCores.reduce((a, b) => a + b, 0) / this.ownCores.length) : null,
      ...(this.s.spec.baseline ? { baseline: this.s.spec.baseline } : {}),
    };
  }
}

/**
 * Loads every scenario at `connections`: a warm-up of each, then `rounds` rounds in which
 * each scenario runs `seconds / rounds`; latencies are pooled over the rounds.
 */
export async function measure(all: Scenario[], o: MeasureOptions): Promise<RunResult[]> {
  const scenarios = all.filter((s) => !s.spec.connections || s.spec.connections.includes(o.connections));
  const urlOf = (s: Scenario) => {
    const url = o.targets[s.target];
    if (!url) throw new Error(`scenario ${s.name}: unknown target ${s.target}`);
    return url;
  };
  for (const s of scenarios) {
    if (o.warmupSeconds > 0) await cannon(urlOf(s), o.connections, o.warmupSeconds, request(s.spec, s.method, () => {}));
  }
  const tallies = scenarios.map((s) => new Tally(s));
  const slice = o.seconds / Math.max(1, o.rounds);
  for (let round = 0; round < Math.max(1, o.rounds); round++) {
    for (const t of tallies) {
      const ok = t.s.spec.okStatus ?? ((status: number) => status >= 200 && status < 300);
      const mark = o.serverLog?.mark() ?? 0;
      const cpu = await cpuSampler();
      // autocannon hands over an answer's headers (onResponse) just before its latency ("response")
      let timing: string | string[] | undefined;
      const req = request(t.s.spec, t.s.method, (status, body, serverTiming) => {
        if (!ok(status) && t.errorSamples.length < 5) t.errorSamples.push(`HTTP ${status} ${body.slice(0, 300)}`);
        timing = serverTiming;
      });
      const result = await cannon(urlOf(t.s), o.connections, slice, req, (status, ms) => {
        t.statusCodes[status] = (t.statusCodes[status] ?? 0) + 1;
        if (ok(status)) {
          t.latencies.push(ms);
          t.split.add(ms, timing);
        } else t.failed++;
        timing = undefined;
      });
      t.seconds += result.duration;
      t.socketErrors += result.errors;
      t.timeouts += result.timeouts;
      t.mismatches += result.mismatches;
      t.serverLog.push(...(o.serverLog?.since(mark) ?? []).slice(0, 5 - t.serverLog.length));
      t.loadAverages.push(round2(os.loadavg()[0] ?? 0));
      const used = await cpu();
      if (used) {
        t.otherCores.push(used.otherCores);
        t.ownCores.push(used.ownCores);
      }
    }
  }
  return tallies.map((t) => t.summary(o));
}

/** Fills p99VsBaseline: each run's p99 over its baseline's p99 at the same phase and connections. */
export function compareToBaselines(runs: RunResult[]): void {
  for (const r of runs) {
    if (!r.baseline) continue;
    const base = runs.find((b) => b.scenario === r.baseline && b.phase === r.phase && b.connections === r.connections);
    r.p50VsBaseline = base && base.latencyMs.p50 > 0 ? r.latencyMs.p50 / base.latencyMs.p50 : null;
    r.p99VsBaseline = base && base.latencyMs.p99 > 0 ? r.latencyMs.p99 / base.latencyMs.p99 : null;
  }
}

export function table(header: string[], rows: (string | number)[][], alignLeft = 1): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < alignLeft ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits));

/** ", in the worker p99 X ms" when the answers said (Server-Timing), else nothing */
export const insideWorker = (r: RunResult) => (r.split ? `, in the worker p99 ${fmt(r.split.insideMs.p99, 0)} ms` : "");

export function runsTable(runs: RunResult[]): string {
  return table(
    ["scenario", "phase", "c", "rps", "ok/s", "p50 ms", "p99 ms", "in worker p99", "outside p99", "errors", "p99/floor", "p50/floor", "other CPU"],
    runs.map((r) => [
      r.scenario,
      r.phase,
      r.connections,
      fmt(r.rps, 0),
      fmt(r.okRps, 0),
      fmt(r.latencyMs.p50),
      fmt(r.latencyMs.p99),
      fmt(r.split?.insideMs.p99, 0),
      fmt(r.split?.outsideMs.p99, 0),
      r.errors,
      r.baseline ? `${fmt(r.p99VsBaseline)}x` : "(floor)",
      r.baseline ? `${fmt(r.p50VsBaseline)}x` : "(floor)",
      r.otherProcessesCores === null ? "-" : `${fmt(r.otherProcessesCores)} cores`,
    ]),
    2,
  );
}

/** Share of CPU time (all cores) that was busy over `ms`, from /proc/stat; null where unavailable. */
export async function cpuBusy(ms = 1000): Promise<number | null> {
  const sample = async () => {
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { idle, total: v.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = await sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = await sample();
    return b.total === a.total ? 0 : 1 - (b.idle - a.idle) / (b.total - a.total);
  } catch {
    return null;
  }
}

/** [busy, total] jiffies of all CPUs from /proc/stat. */
async function systemTicks(): Promise<[number, number]> {
  const v = ((await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return [total - (v[3] ?? 0) - (v[4] ?? 0), total];
}

/** CPU jiffies (user + system) used so far by this process and its descendants (workerd). */
async function ownTicks(): Promise<number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = await readFile(`/proc/${name}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // after "pid (comm) ": state, ppid, pgrp, session, tty, tpgid, flags, 4 fault counters, utime, stime
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, st] of stats) {
      if (!mine.has(pid) && mine.has(st.ppid)) {
        mine.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of mine) ticks += stats.get(pid)?.ticks ?? 0;
  return ticks;
}

/**
 * Starts measuring CPU use; the returned function gives, since then, the cores kept busy by
 * other processes (not this one, not its workerd) and by ours. Null where /proc is missing.
 */
export async function cpuSampler(): Promise<() => Promise<{ otherCores: number; ownCores: number } | null>> {
  try {
    const [busy0, total0] = await systemTicks();
    const own0 = await ownTicks();
    const cores = os.cpus().length;
    return async () => {
      const [busy1, total1] = await systemTicks();
      const own1 = await ownTicks();
      const elapsed = (total1 - total0) / cores; // jiffies of wall time
      if (elapsed <= 0) return null;
      const own = (own1 - own0) / elapsed;
      return { otherCores: Math.max(0, (busy1 - busy0) / elapsed - own), ownCores: own };
    };
  } catch {
    return async () => null;
  }
}

/** Writes bench/results/<timestamp>.json and latest.json (each via a .tmp file and a rename). */
export async function writeResults(dir: string, startedAt: Date, data: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${startedAt.toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`;
  const text = `${JSON.stringify(data, null, 2)}\n`;
  for (const file of [name, "latest.json"]) {
    const target = path.join(dir, file);
    await writeFile(`${target}.tmp`, text);
    await rename(`${target}.tmp`, target);
  }
  return path.join(dir, name);
}
