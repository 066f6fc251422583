/**
 * The import phase of `npm run bench` (issue 12): a formulary file goes through the chunked
 * job API the way the import page sends it (create the job, PUT chunks one after the other,
 * retry a failed chunk, then POST publish until it answers 200), while probes run the floor
 * lookup and, when given, the `validate rx` request sequentially beside it and record their
 * latency: what a doctor waits for during an import.
 */
import type { EntryJson } from "./data.ts";
import { cpuSampler, fmt, percentile } from "./harness.ts";
import { httpRequest, type Servers } from "./server.ts";

const API = "/api/v1";
/** Rows per chunk, as the import page sends them (≤ 2,000 and 1 MiB a chunk server-side). */
export const CHUNK_ROWS = 1000;
const CHUNK_ATTEMPTS = 3;

export interface ProbeStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  firstError?: string;
  /** the slowest answers, each with the import calls in flight when it was sent or answered */
  slowest: { atMs: number; ms: number; during: string[] }[];
}

/** One request of the import client: what it was, when it started (ms after the import began), how long it took. */
interface ImportCall {
  what: string;
  atMs: number;
  ms: number;
}

export interface ChunkedImportResult {
  label: string;
  dryRun: false;
  rows: number;
  bodyMB: number;
  chunks: number;
  ok: boolean;
  status: number | null;
  /** client wall time, first chunk sent to publish answered 200 */
  seconds: number;
  uploadSeconds: number;
  publishSeconds: number;
  publishCalls: number;
  rowsPerSecond: number | null;
  summary?: Record<string, number>;
  formularyVersion?: number;
  error?: string;
  serverLogSamples: string[];
  readsDuringImport?: ProbeStats;
  validateDuringImport?: ProbeStats;
  otherProcessesCores?: number | null;
}

export interface ProbeRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  ok: (status: number) => boolean;
}

/** One request after another, with a short pause, until stopped; times relative to `t0`. */
function probe(req: ProbeRequest, t0: number) {
  const times: number[] = [];
  const samples: { atMs: number; ms: number }[] = [];
  const errors: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const atMs = performance.now() - t0;
        const res = await httpRequest(req.url, { method: req.method ?? "GET", ...(req.headers ? { headers: req.headers } : {}), ...(req.body ? { body: req.body } : {}), timeoutMs: 120_000 });
        if (req.ok(res.status)) {
          times.push(res.ms);
          samples.push({ atMs, ms: res.ms });
        }
        else errors.push(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async (calls: ImportCall[]): Promise<ProbeStats> => {
    stopped = true;
    await loop;
    const sorted = [...times].sort((a, b) => a - b);
    const inFlight = (at: number) => calls.filter((c) => c.atMs <= at && at <= c.atMs + c.ms).map((c) => `${c.what} (${Math.round(c.ms)} ms)`);
    const slowest = [...samples]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8)
      .map((s) => ({ atMs: Math.round(s.atMs), ms: Math.round(s.ms), during: [...new Set([...inFlight(s.atMs), ...inFlight(s.atMs + s.ms)])] }));
    return {
      slowest,
      count: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? Number.NaN,
      errors: errors.length,
      ...(errors[0] ? { firstError: errors[0] } : {}),
    };
  };
}

async function call(url: string, init: { method: string; token: string; type?: string; body?: string }) {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token}` };
  if (init.type) headers["content-type"] = init.type;
  const res = await httpRequest(url, { method: init.method, headers, ...(init.body ? { body: init.body } : {}), timeoutMs: 300_000 });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(res.text);
  } catch {
    // reported with the raw text by the caller
  }
  return { status: res.status, text: res.text, json };
}

/** The import through the job API, probes beside it. */
export async function chunkedImport(
  servers: Servers,
  adminToken: string,
  label: string,
  entries: EntryJson[],
  probes: { floor: ProbeRequest | null; validate: ProbeRequest | null },
): Promise<ChunkedImportResult> {
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += CHUNK_ROWS) chunks.push(JSON.stringify(entries.slice(i, i + CHUNK_ROWS)));
  const bodyMB = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0) / 2 ** 20;
  process.stdout.write(`import ${label} (chunked): ${entries.length} rows in ${chunks.length} chunks, ${fmt(bodyMB, 1)} MB … `);
  const base = { label, dryRun: false as const, rows: entries.length, bodyMB, chunks: chunks.length };
  const mark = servers.log.mark();
  const cpu = await cpuSampler();
  const started = performance.now();
  const stopFloor = probes.floor ? probe(probes.floor, started) : null;
  const stopValidate = probes.validate ? probe(probes.validate, started) : null;
  const calls: ImportCall[] = [];
  const timed = async (what: string, url: string, init: Parameters<typeof call>[1]) => {
    const atMs = performance.now() - started;
    const res = await call(url, init);
    calls.push({ what, atMs, ms: performance.now() - started - atMs });
    return res;
  };
  let uploadSeconds = 0;
  let publishCalls = 0;
  let status: number | null = null;
  let job: Record<string, unknown> = {};
  let error: string | undefined;
  try {
    const created = await timed("create job", `${servers.appUrl}${API}/formulary/import-jobs`, {
      method: "POST",
      token: adminToken,
      type: "application/json",
      body: JSON.stringify({ fileName: `bench-${label}.json`, format: "json", expectedChunks: chunks.length, expectedRows: entries.length, chunkRows: CHUNK_ROWS }),
    });
    if (created.status !== 201) throw new Error(`create job: HTTP ${created.status} ${created.text.slice(0, 300)}`);
    const id = String(created.json.id);
    for (const [i, chunk] of chunks.entries()) {
      for (let attempt = 1; ; attempt++) {
        const res = await timed(`PUT chunk ${i + 1}`, `${servers.appUrl}${API}/formulary/import-jobs/${id}/chunks/${i + 1}`, { method: "PUT", token: adminToken, type: "application/json", body: chunk });
        if (res.status === 201 || res.status === 200) break;
        // a 409 for a different body or a 4xx is final; a 5xx or a dropped connection is retried, as the page does
        if ((res.status < 500 && res.status !== 409) || attempt >= CHUNK_ATTEMPTS) throw new Error(`chunk ${i + 1}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      }
    }
    uploadSeconds = (performance.now() - started) / 1000;
    for (;;) {
      publishCalls++;
      const res = await timed(`publish call ${publishCalls}`, `${servers.appUrl}${API}/formulary/import-jobs/${id}/publish`, { method: "POST", token: adminToken });
      status = res.status;
      job = res.json;
      if (res.status === 200) break;
      if (res.status !== 202) throw new Error(`publish: HTTP ${res.status} ${res.text.slice(0, 300)}`);
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const seconds = (performance.now() - started) / 1000;
  const readsDuringImport = await stopFloor?.(calls);
  const validateDuringImport = await stopValidate?.(calls);
  const used = await cpu();
  const publish = job.publish as { created?: number; updated?: number; unchanged?: number; targetVersion?: number } | undefined;
  const summary = job.summary as Record<string, number> | undefined;
  const ok = !error && status === 200 && publish?.created === entries.length;
  if (!error && !ok) error = `published ${publish?.created ?? 0} of ${entries.length} rows; summary ${JSON.stringify(summary)}`;
  const during = [
    readsDuringImport ? `floor p99 ${fmt(readsDuringImport.p99Ms, 0)} ms (${readsDuringImport.count})` : "",
    validateDuringImport ? `validate p99 ${fmt(validateDuringImport.p99Ms, 0)} ms (${validateDuringImport.count})` : "",
  ]
    .filter(Boolean)
    .join(", ");
  console.log(
    ok
      ? `${fmt(seconds, 2)} s (upload ${fmt(uploadSeconds, 2)} s, publish ${fmt(seconds - uploadSeconds, 2)} s in ${publishCalls} calls)${during ? `; meanwhile ${during}` : ""}`
      : `FAILED after ${fmt(seconds, 2)} s: ${error}`,
  );
  return {
    ...base,
    ok,
    status,
    seconds,
    uploadSeconds,
    publishSeconds: seconds - uploadSeconds,
    publishCalls,
    rowsPerSecond: ok ? entries.length / seconds : null,
    ...(summary ? { summary: { ...summary, created: publish?.created ?? 0 } } : {}),
    ...(publish?.targetVersion !== undefined ? { formularyVersion: publish.targetVersion } : {}),
    ...(error ? { error } : {}),
    serverLogSamples: servers.log.since(mark).slice(0, 10),
    ...(readsDuringImport ? { readsDuringImport } : {}),
    ...(validateDuringImport ? { validateDuringImport } : {}),
    otherProcessesCores: used ? Math.round(used.otherCores * 100) / 100 : null,
  };
}

/** The issue's targets for what readers wait during the big import (PASS/FAIL lines of the run). */
export function importProbeTargets(result: ChunkedImportResult | { rows: number } | undefined, targets: { floorP99Ms: number; validateP99VsFloor: number }) {
  const chunked = result && "publishCalls" in result ? result : undefined;
  const floor = chunked?.readsDuringImport;
  const validate = chunked?.validateDuringImport;
  const ratio = floor && validate && floor.p99Ms > 0 ? validate.p99Ms / floor.p99Ms : null;
  return [
    {
      target: `floor lookup p99 <= ${targets.floorP99Ms} ms during the 100k chunked import`,
      value: floor && chunked?.ok ? floor.p99Ms : null,
      unit: `ms (${floor?.count ?? 0} lookups, ${floor?.errors ?? 0} errors)`,
      pass: floor && chunked?.rows === 100_000 ? chunked.ok && floor.errors === 0 && floor.p99Ms <= targets.floorP99Ms : null,
    },
    {
      target: `validate rx p99 <= ${targets.validateP99VsFloor}x floor p99 during the 100k chunked import`,
      value: ratio,
      unit: `x (validate p99 ${fmt(validate?.p99Ms, 0)} ms, ${validate?.count ?? 0} requests, ${validate?.errors ?? 0} errors)`,
      pass: ratio !== null && validate && chunked?.rows === 100_000 ? chunked.ok && validate.errors === 0 && ratio <= targets.validateP99VsFloor : null,
    },
  ];
}
