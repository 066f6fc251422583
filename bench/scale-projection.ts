/**
 * `npx tsx bench/scale-projection.ts [bench/results/storage-latest.json]`: docs/scale.md's
 * province figures, computed from a bench/storage.ts measurement and the assumptions and
 * published limits below (each limit with its page). Prints markdown tables.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "./server.ts";

/** Assumptions (docs/scale.md, "Assumptions"). */
export const ASSUME = {
  provincePeople: 10_000_000,
  consortia: 50,
  /** the issue: a 1M-person consortium writes ~8M prescriptions a year */
  rxPerPersonYear: 8,
  largestPeople: 1_000_000,
  /** the province peak: sign and route 150 prescriptions a second */
  provincePeakRxPerSecond: 150,
  /** requests of a day, per signed prescription */
  validatesPerRx: 2,
  patientSearchesPerRx: 1,
  overviewsPerRx: 1,
  prescriptionReadsPerRx: 1,
  /** the desk's requests per order (queue page, detail, review, dispense, ready/ship, hand-over/deliver) */
  deskRequestsPerOrder: 6,
  /** doctors per 1,000 people (primary care and county hospital doctors who prescribe here) */
  doctorsPerThousand: 1,
  dueListsPerDoctorDay: 3,
  reportViewsPerDay: 100,
  /** idempotency keys purged after this many days (today: never) */
  idempotencyDays: 7,
};

/** Published limits and prices (the page each is read from is cited in docs/scale.md). */
export const LIMITS = {
  d1DatabaseBytes: 10e9, // D1 limits: 10 GB per database (Workers Paid), not raisable
  d1QueriesPerSecondAt1ms: 1000, // D1 limits FAQ: one query at a time; 1 ms average → ~1,000 queries/s
  d1StorageIncludedGb: 5,
  d1StoragePerGbMonth: 0.75,
  d1RowsReadIncludedPerMonth: 25e9,
  d1RowsReadPerMillion: 0.001,
  d1RowsWrittenIncludedPerMonth: 50e6,
  d1RowsWrittenPerMillion: 1.0,
  workersRequestsIncludedPerMonth: 10e6,
  workersRequestsPerMillion: 0.3,
  workersCpuMsIncludedPerMonth: 30e6,
  workersCpuPerMillionMs: 0.02,
  queuesOpsPerMillion: 0.4,
  queuesMessagesPerSecondPerQueue: 5000,
  r2StandardPerGbMonth: 0.015,
  r2InfrequentPerGbMonth: 0.01,
  r2ClassAPerMillion: 4.5,
  workersPaidPerMonth: 5,
};

interface Row {
  request: string;
  rowsRead: number;
  rowsWritten: number;
  statements: number;
  sqlMs?: number;
}
interface TableGrowth {
  table: string;
  rowsAdded: number;
  bytesPerRx: number;
}
interface Measured {
  startedAt: string;
  mix: { signed: number; orders: number; deskWalked: number; byMode: Record<string, number> };
  prescriptionsInDatabase: number;
  signing: { bytesPerRx: number; perTable: TableGrowth[] };
  desk: { bytesPerRx: number; perTable: TableGrowth[] };
  rowsPerRequest: Row[];
  archive?: { ndjsonBytesPerRecord: number; gzipBytesPerRecord: number };
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const gb = (bytes: number) => bytes / 1e9;

export function project(m: Measured) {
  const find = (prefix: string) => m.rowsPerRequest.find((r) => r.request.startsWith(prefix));
  const ordersPerRx = m.mix.orders / m.mix.signed;
  const auditDesk = m.desk.perTable.find((t) => t.table === "audit_events");
  // one audit row, indexes included, from the desk phase (5 audit rows per walked order)
  const bytesPerAuditRow = auditDesk && auditDesk.rowsAdded > 0 ? (auditDesk.bytesPerRx * m.mix.deskWalked) / auditDesk.rowsAdded : 0;
  const readAuditsPerRx = ASSUME.patientSearchesPerRx + ASSUME.overviewsPerRx + ASSUME.prescriptionReadsPerRx;
  const idempotencyBytes = m.signing.perTable.find((t) => t.table === "idempotency_keys")?.bytesPerRx ?? 0;
  const allIn = m.signing.bytesPerRx + m.desk.bytesPerRx * ordersPerRx + bytesPerAuditRow * readAuditsPerRx;
  const trimmed = allIn - idempotencyBytes;

  const consortium = (people: number) => {
    const rxYear = people * ASSUME.rxPerPersonYear;
    const rxDay = rxYear / 365;
    const bytesYear = rxYear * allIn;
    const trimmedYear = rxYear * trimmed;
    return { people, rxYear, rxDay, bytesYear, trimmedYear, monthsTo10GB: (LIMITS.d1DatabaseBytes / bytesYear) * 12, monthsTo10GBTrimmed: (LIMITS.d1DatabaseBytes / trimmedYear) * 12 };
  };
  const average = consortium(ASSUME.provincePeople / ASSUME.consortia);
  const largest = consortium(ASSUME.largestPeople);

  // a day's requests per consortium, from the per-rx mix, and the rows they read and write
  const day = (people: number, rxDay: number) => {
    const doctors = (people / 1000) * ASSUME.doctorsPerThousand;
    const lines: { what: string; count: number; row?: Row }[] = [
      { what: "validate", count: rxDay * ASSUME.validatesPerRx, row: find("POST /prescriptions/validate") },
      { what: "sign (normal)", count: rxDay * (1 - longShare(m)), row: find("POST /prescriptions (normal)") },
      { what: "sign (long)", count: rxDay * longShare(m), row: find("POST /prescriptions (long_term)") },
      { what: "patient search", count: rxDay * ASSUME.patientSearchesPerRx, row: find("GET /patients?q=") },
      { what: "patient overview", count: rxDay * ASSUME.overviewsPerRx, row: find("GET /patients/{id}/overview") },
      { what: "prescription read", count: rxDay * ASSUME.prescriptionReadsPerRx, row: find("GET /prescriptions/{id}") },
      { what: "due list", count: doctors * ASSUME.dueListsPerDoctorDay, row: find("GET /follow-up/due") },
      ...["GET /orders?status", "GET /orders/{id}", "POST review", "POST dispense"].map((p) => ({ what: `desk: ${p}`, count: rxDay * ordersPerRx, row: find(p) })),
      // the last two steps: pickup (ready, hand-over) or delivery (ship, deliver); the mean of both
      { what: "desk: ready/ship", count: rxDay * ordersPerRx, row: meanRow(find("POST ready"), find("POST ship")) },
      { what: "desk: hand-over/deliver", count: rxDay * ordersPerRx, row: meanRow(find("POST handover"), find("POST deliver")) },
    ];
    const reports = m.rowsPerRequest.filter((r) => r.request.startsWith("GET /reports/"));
    const reportRead = reports.length ? reports.reduce((n, r) => n + r.rowsRead, 0) / reports.length : 0;
    // reports as measured scan the period's rows: scale by a month's prescriptions over the measured database
    const reportScale = (rxDay * 30) / Math.max(m.prescriptionsInDatabase, 1);
    const rows = lines.map((l) => ({ what: l.what, count: l.count, rowsRead: l.count * (l.row?.rowsRead ?? 0), rowsWritten: l.count * (l.row?.rowsWritten ?? 0), statements: l.count * (l.row?.statements ?? 0), sqlMs: l.count * (l.row?.sqlMs ?? 0) }));
    rows.push({ what: "reports (as measured, scaled to a month's data)", count: ASSUME.reportViewsPerDay, rowsRead: ASSUME.reportViewsPerDay * reportRead * reportScale, rowsWritten: 0, statements: 0, sqlMs: 0 });
    const total = rows.reduce((t, r) => ({ count: t.count + r.count, rowsRead: t.rowsRead + r.rowsRead, rowsWritten: t.rowsWritten + r.rowsWritten, statements: t.statements + r.statements, sqlMs: t.sqlMs + r.sqlMs }), { count: 0, rowsRead: 0, rowsWritten: 0, statements: 0, sqlMs: 0 });
    return { rows, total, reportRead, reportScale };
  };
  const dayAverage = day(average.people, average.rxDay);
  const dayLargest = day(largest.people, largest.rxDay);

  // the peak: the 150 signed/s province-wide, shared by population; each signing brings its share of the day's other requests
  const peak = (people: number, d: ReturnType<typeof day>, rxDay: number) => {
    const rxPerSecond = (ASSUME.provincePeakRxPerSecond * people) / ASSUME.provincePeople;
    const perRx = (x: number) => x / rxDay;
    return { rxPerSecond, requestsPerSecond: rxPerSecond * perRx(d.total.count), statementsPerSecond: rxPerSecond * perRx(d.total.statements), sqlMsPerSecond: rxPerSecond * perRx(d.total.sqlMs) };
  };
  const peakAverage = peak(average.people, dayAverage, average.rxDay);
  const peakLargest = peak(largest.people, dayLargest, largest.rxDay);

  // the province's month: every consortium, 30 days
  const provinceRxMonth = (ASSUME.provincePeople * ASSUME.rxPerPersonYear) / 12;
  const provinceRowsReadMonth = dayAverage.total.rowsRead * 30 * ASSUME.consortia;
  const provinceRowsWrittenMonth = dayAverage.total.rowsWritten * 30 * ASSUME.consortia;
  const provinceRequestsMonth = dayAverage.total.count * 30 * ASSUME.consortia;
  const externalShare = (m.mix.byMode["external-delivery"] ?? 0) / m.mix.signed;
  const queueMessagesMonth = provinceRxMonth * externalShare;
  const archiveBytesYear = ASSUME.provincePeople * ASSUME.rxPerPersonYear * (m.archive?.ndjsonBytesPerRecord ?? 0);
  const archiveGzBytesYear = ASSUME.provincePeople * ASSUME.rxPerPersonYear * (m.archive?.gzipBytesPerRecord ?? 0);

  return { ordersPerRx, bytesPerAuditRow, readAuditsPerRx, idempotencyBytes, allIn, trimmed, average, largest, dayAverage, dayLargest, peakAverage, peakLargest, provinceRxMonth, provinceRowsReadMonth, provinceRowsWrittenMonth, provinceRequestsMonth, queueMessagesMonth, externalShare, archiveBytesYear, archiveGzBytesYear };
}

function longShare(m: Measured): number {
  const long = m.rowsPerRequest.find((r) => r.request === "POST /prescriptions (long_term)");
  const normal = m.rowsPerRequest.find((r) => r.request === "POST /prescriptions (normal)");
  const samples = (r: Row | undefined) => (r && "samples" in r ? Number((r as Row & { samples: number }).samples) : 0);
  const total = samples(long) + samples(normal);
  return total ? samples(long) / total : 0;
}

function meanRow(a: Row | undefined, b: Row | undefined): Row | undefined {
  if (!a || !b) return a ?? b;
  return { request: `${a.request} / ${b.request}`, rowsRead: (a.rowsRead + b.rowsRead) / 2, rowsWritten: (a.rowsWritten + b.rowsWritten) / 2, statements: (a.statements + b.statements) / 2, sqlMs: ((a.sqlMs ?? 0) + (b.sqlMs ?? 0)) / 2 };
}

async function main() {
  const file = process.argv[2] ?? path.join(ROOT, "bench/results/storage-latest.json");
  const m = JSON.parse(await readFile(file, "utf8")) as Measured;
  const p = project(m);
  const out: string[] = [];
  out.push(`measurement: ${path.relative(ROOT, file)} (run of ${m.startedAt}, ${m.mix.signed} prescriptions, ${fmt(p.ordersPerRx, 2)} orders each)\n`);
  out.push("| bytes per signed prescription | |\n|---|---:|");
  out.push(`| signing (prescription, items, order(s), events, outbox, audit, idempotency key, indexes) | ${fmt(m.signing.bytesPerRx)} |`);
  out.push(`| desk, per order walked to the patient × ${fmt(p.ordersPerRx, 2)} orders | ${fmt(m.desk.bytesPerRx * p.ordersPerRx)} |`);
  out.push(`| audit rows of reads (${p.readAuditsPerRx} per prescription × ${fmt(p.bytesPerAuditRow)} B) | ${fmt(p.bytesPerAuditRow * p.readAuditsPerRx)} |`);
  out.push(`| **all-in** | **${fmt(p.allIn)}** |`);
  out.push(`| all-in with idempotency keys purged after ${ASSUME.idempotencyDays} days (−${fmt(p.idempotencyBytes)}) | ${fmt(p.trimmed)} |\n`);
  out.push("| consortium | people | prescriptions/year | per day | D1 bytes/year | months to 10 GB | same, keys purged |\n|---|---:|---:|---:|---:|---:|---:|");
  for (const [name, c] of [
    ["average (10M / 50)", p.average],
    ["largest (the issue's 1M)", p.largest],
  ] as const) {
    out.push(`| ${name} | ${fmt(c.people)} | ${fmt(c.rxYear)} | ${fmt(c.rxDay)} | ${fmt(gb(c.bytesYear), 1)} GB | ${fmt(c.monthsTo10GB, 1)} | ${fmt(c.monthsTo10GBTrimmed, 1)} |`);
  }
  out.push("\n| a day of the average consortium | requests | rows read | rows written | SQL ms (local) |\n|---|---:|---:|---:|---:|");
  for (const r of p.dayAverage.rows) out.push(`| ${r.what} | ${fmt(r.count)} | ${fmt(r.rowsRead)} | ${fmt(r.rowsWritten)} | ${fmt(r.sqlMs)} |`);
  out.push(`| **total** | **${fmt(p.dayAverage.total.count)}** | **${fmt(p.dayAverage.total.rowsRead)}** | **${fmt(p.dayAverage.total.rowsWritten)}** | **${fmt(p.dayAverage.total.sqlMs)}** |`);
  out.push(`\nlargest consortium's day: ${fmt(p.dayLargest.total.count)} requests, ${fmt(p.dayLargest.total.rowsRead)} rows read, ${fmt(p.dayLargest.total.rowsWritten)} rows written`);
  out.push(`reports: ${fmt(p.dayAverage.reportRead)} rows read per view on ${m.prescriptionsInDatabase} prescriptions; ×${fmt(p.dayAverage.reportScale, 1)} for the average consortium's month\n`);
  out.push("| peak (the issue's 150 signed/s, by population) | signed/s | requests/s | D1 statements/s | SQL ms per second (local) |\n|---|---:|---:|---:|---:|");
  for (const [name, k] of [
    ["average consortium", p.peakAverage],
    ["largest consortium", p.peakLargest],
  ] as const) {
    out.push(`| ${name} | ${fmt(k.rxPerSecond, 1)} | ${fmt(k.requestsPerSecond)} | ${fmt(k.statementsPerSecond)} | ${fmt(k.sqlMsPerSecond)} |`);
  }
  const storedGb = gb(p.average.trimmedYear) * ASSUME.consortia;
  const cost = {
    storage: Math.max(0, storedGb - LIMITS.d1StorageIncludedGb) * LIMITS.d1StoragePerGbMonth,
    rowsRead: Math.max(0, p.provinceRowsReadMonth - LIMITS.d1RowsReadIncludedPerMonth) / 1e6 * LIMITS.d1RowsReadPerMillion,
    rowsWritten: Math.max(0, p.provinceRowsWrittenMonth - LIMITS.d1RowsWrittenIncludedPerMonth) / 1e6 * LIMITS.d1RowsWrittenPerMillion,
    requests: Math.max(0, p.provinceRequestsMonth - LIMITS.workersRequestsIncludedPerMonth) / 1e6 * LIMITS.workersRequestsPerMillion,
    cpuPerMs: (p.provinceRequestsMonth / 1e6) * LIMITS.workersCpuPerMillionMs,
    queues: (p.queueMessagesMonth * 3) / 1e6 * LIMITS.queuesOpsPerMillion,
    r2Year: gb(p.archiveBytesYear) * LIMITS.r2StandardPerGbMonth,
  };
  out.push(`\nprovince month: ${fmt(p.provinceRxMonth)} prescriptions, ${fmt(p.provinceRequestsMonth)} requests, ${fmt(p.provinceRowsReadMonth)} rows read, ${fmt(p.provinceRowsWrittenMonth)} rows written; ${fmt(p.queueMessagesMonth)} outbox messages (${fmt(p.externalShare * 100)}% external)`);
  out.push("\n| province, per month (Workers Paid) | USD |\n|---|---:|");
  out.push(`| D1 storage: one year kept hot, keys purged (${fmt(storedGb)} GB) | ${fmt(cost.storage)} |`);
  out.push(`| D1 rows read | ${fmt(cost.rowsRead, 2)} |`);
  out.push(`| D1 rows written | ${fmt(cost.rowsWritten)} |`);
  out.push(`| Workers requests | ${fmt(cost.requests)} |`);
  out.push(`| Workers CPU, per 1 ms average CPU per request | ${fmt(cost.cpuPerMs)} |`);
  out.push(`| Queues (3 operations per outbox message) | ${fmt(cost.queues, 2)} |`);
  out.push(`| R2 archive, per year of prescriptions kept (NDJSON as is, ${fmt(gb(p.archiveBytesYear))} GB, Standard; gzip of the synthetic data: ${fmt(gb(p.archiveGzBytesYear))} GB) | ${fmt(cost.r2Year, 2)} |`);
  out.push(`| Workers Paid subscription | ${fmt(LIMITS.workersPaidPerMonth)} |`);
  console.log(out.join("\n"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, "scale-projection.ts")) await main();
