/**
 * The archive of signed prescriptions past retention (docs/scale.md, "Archiving"), as a
 * runnable proof: monthly NDJSON objects and a hash-chained manifest, and an OFFLINE
 * verifier that uses node:crypto and node:fs only (no worker code, no server).
 *
 *   npx tsx bench/archive.ts export <d1 .sqlite file> <out dir> <keys.json>   # from a local D1 file (sqlite3)
 *   npx tsx bench/archive.ts verify <dir>                                     # exit 1 on any failure
 *   npx tsx bench/archive.ts proof <dir>                                      # verify, then tamper copies and show each is caught
 *
 * What is verified, per record: SHA-256(content as UTF-8) equals contentHash, and the
 * Ed25519 signature (base64url, 64 bytes) verifies over the 32 raw bytes of that digest
 * with the public JWK named by signatureKeyId (worker/signing/signer.ts signs exactly
 * those bytes). Per object: its SHA-256, byte and record counts equal the manifest's.
 * The manifest: each month's entry chains the previous entry's hash, so a month cannot be
 * dropped, replaced or reordered without breaking every later link.
 */
import { execFile } from "node:child_process";
import { createHash, createPublicKey, verify as edVerify } from "node:crypto";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** One archived prescription: the signed facts verbatim, and what happened to it (unsigned, covered by the manifest). */
export interface ArchiveRecord {
  id: string;
  institutionId: string;
  kind: string;
  writtenAt: string;
  /** the canonical JSON exactly as signed: never re-serialised */
  content: string;
  contentHash: string;
  signature: string;
  signatureKeyId: string;
  formularyVersion: number;
  status: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  replaces: string | null;
  replacedBy: string | null;
  /** each order's final state (what the pharmacy did), for the 调剂 record */
  orders: unknown[];
}

export interface ManifestObject {
  key: string;
  sha256: string;
  bytes: number;
  records: number;
}

export interface ManifestEntry {
  month: string;
  objects: ManifestObject[];
  exportedAt: string;
  /** kids of the public keys the month's signatures need (all present in keys.json) */
  keyIds: string[];
  /** `chain` of the previous entry, 64 zeros for the first */
  prev: string;
  /** SHA-256 of prev + "\n" + the entry's canonical JSON without `chain` */
  chain: string;
}

export interface Manifest {
  format: "yaolian-rx-archive/1";
  consortium: string;
  entries: ManifestEntry[];
}

const ZERO = "0".repeat(64);
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** JSON with sorted keys (the same rule as worker/lib/canonical-json.ts), for the manifest's links. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .flatMap((k) => {
            const x = (v as Record<string, unknown>)[k];
            return x === undefined ? [] : [[k, sort(x)]];
          }),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

const chainOf = (entry: Omit<ManifestEntry, "chain">) => sha256(`${entry.prev}\n${canonical(entry)}`);

/** Objects of one month: NDJSON, at most `perObject` records each, keyed by consortium and month. */
export function monthObjects(consortium: string, month: string, records: ArchiveRecord[], perObject = 50_000) {
  const objects: { key: string; body: string; records: number }[] = [];
  for (let start = 0, part = 1; start < records.length; start += perObject, part++) {
    const slice = records.slice(start, start + perObject);
    objects.push({ key: `rx/${consortium}/${month.slice(0, 4)}/${month}/part-${String(part).padStart(4, "0")}.ndjson`, body: `${slice.map((r) => JSON.stringify(r)).join("\n")}\n`, records: slice.length });
  }
  return objects;
}

/** Appends a month to the manifest (months strictly in order, each once). */
export function appendMonth(manifest: Manifest, month: string, objects: { key: string; body: string; records: number }[], keyIds: string[], exportedAt: string): Manifest {
  const last = manifest.entries.at(-1);
  if (last && last.month >= month) throw new Error(`month ${month} is not after ${last.month}`);
  const entry = {
    month,
    objects: objects.map((o) => ({ key: o.key, sha256: sha256(o.body), bytes: Buffer.byteLength(o.body), records: o.records })),
    exportedAt,
    keyIds: [...new Set(keyIds)].sort(),
    prev: last?.chain ?? ZERO,
  };
  return { ...manifest, entries: [...manifest.entries, { ...entry, chain: chainOf(entry) }] };
}

interface Jwk {
  kid?: string;
  kty?: string;
  crv?: string;
  x?: string;
}

/** One record against the public keys: the content hash, then the Ed25519 signature over the digest's bytes. */
export function verifyRecord(r: ArchiveRecord, keys: Jwk[]): { contentHashValid: boolean; signatureValid: boolean } {
  const contentHashValid = sha256(Buffer.from(r.content, "utf8")) === r.contentHash;
  const jwk = keys.find((k) => k.kid === r.signatureKeyId);
  const signature = Buffer.from(r.signature, "base64url");
  let signatureValid = false;
  if (jwk && jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x && signature.length === 64 && /^[0-9a-f]{64}$/.test(r.contentHash)) {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
    signatureValid = edVerify(null, Buffer.from(r.contentHash, "hex"), key, signature);
  }
  return { contentHashValid, signatureValid };
}

export interface ArchiveReport {
  ok: boolean;
  months: number;
  objects: number;
  records: number;
  failures: string[];
}

/** Verifies a whole archive directory (manifest.json, keys.json, the objects under their keys). */
export async function verifyArchive(dir: string): Promise<ArchiveReport> {
  const failures: string[] = [];
  const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as Manifest;
  const keys = (JSON.parse(await readFile(path.join(dir, "keys.json"), "utf8")) as { keys: Jwk[] }).keys;
  let prev = ZERO;
  let records = 0;
  let objects = 0;
  for (const entry of manifest.entries) {
    const { chain, ...rest } = entry;
    if (entry.prev !== prev) failures.push(`${entry.month}: prev link ${entry.prev.slice(0, 12)}… is not the previous entry's ${prev.slice(0, 12)}…`);
    if (chainOf(rest) !== chain) failures.push(`${entry.month}: entry hash does not match its content`);
    prev = chain;
    for (const object of entry.objects) {
      objects++;
      let body: Buffer;
      try {
        body = await readFile(path.join(dir, object.key));
      } catch {
        failures.push(`${object.key}: missing`);
        continue;
      }
      if (sha256(body) !== object.sha256 || body.byteLength !== object.bytes) failures.push(`${object.key}: SHA-256 or size differs from the manifest`);
      const lines = body.toString("utf8").split("\n").filter(Boolean);
      if (lines.length !== object.records) failures.push(`${object.key}: ${lines.length} records, the manifest says ${object.records}`);
      for (const line of lines) {
        records++;
        const record = JSON.parse(line) as ArchiveRecord;
        const v = verifyRecord(record, keys);
        if (!v.contentHashValid) failures.push(`${record.id}: content does not hash to contentHash`);
        if (!v.signatureValid) failures.push(`${record.id}: Ed25519 signature does not verify (key ${record.signatureKeyId})`);
      }
    }
  }
  return { ok: failures.length === 0, months: manifest.entries.length, objects, records, failures };
}

/** Writes objects, manifest and keys under `dir` as they would sit in the bucket. */
export async function writeArchive(dir: string, manifest: Manifest, objects: { key: string; body: string }[], keys: Jwk[]) {
  for (const o of objects) {
    await mkdir(path.dirname(path.join(dir, o.key)), { recursive: true });
    await writeFile(path.join(dir, o.key), o.body);
  }
  await writeFile(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(dir, "keys.json"), `${JSON.stringify({ keys }, null, 2)}\n`);
}

/** Builds an archive of every month of `records` (grouped by the China month of writtenAt). */
export function buildArchive(consortium: string, records: ArchiveRecord[], exportedAt: string) {
  const byMonth = new Map<string, ArchiveRecord[]>();
  for (const r of records) {
    // China time (UTC+8): a prescription written at 23:30 UTC on the 31st belongs to the next month
    const month = new Date(Date.parse(r.writtenAt) + 8 * 3600_000).toISOString().slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), r]);
  }
  let manifest: Manifest = { format: "yaolian-rx-archive/1", consortium, entries: [] };
  const objects: { key: string; body: string; records: number }[] = [];
  for (const month of [...byMonth.keys()].sort()) {
    const list = (byMonth.get(month) ?? []).sort((a, b) => (a.writtenAt === b.writtenAt ? a.id.localeCompare(b.id) : a.writtenAt.localeCompare(b.writtenAt)));
    const parts = monthObjects(consortium, month, list);
    manifest = appendMonth(manifest, month, parts, list.map((r) => r.signatureKeyId), exportedAt);
    objects.push(...parts);
  }
  return { manifest, objects };
}

/**
 * The export's read, here from a local D1 file with sqlite3 (in production: the archive
 * job's bounded SELECTs through the binding, docs/scale.md). Each prescription with its
 * orders' final state; the signed columns verbatim.
 */
export async function readSignedFromSqlite(file: string): Promise<ArchiveRecord[]> {
  const sql = `SELECT p.id, p.institution_id AS institutionId, p.kind, p.written_at AS writtenAt, p.content, p.content_hash AS contentHash,
      p.signature, p.signature_key_id AS signatureKeyId, p.formulary_version AS formularyVersion, p.status, p.cancelled_at AS cancelledAt,
      p.cancel_reason AS cancelReason, p.replaces, p.replaced_by AS replacedBy,
      (SELECT json_group_array(json_object('id', o.id, 'pharmacyId', o.pharmacy_id, 'instalment', o.instalment, 'instalments', o.instalments,
         'mode', o.mode, 'status', o.status, 'items', json(o.items), 'carrier', o.carrier, 'trackingNo', o.tracking_no, 'rejectReason', o.reject_reason))
       FROM orders o WHERE o.prescription_id = p.id) AS orders
    FROM prescriptions p WHERE p.signature_key_id <> '-' ORDER BY p.written_at, p.id`;
  const { stdout } = await promisify(execFile)("/usr/bin/sqlite3", ["-readonly", "-json", file, sql], { maxBuffer: 1 << 30 });
  const rows = (stdout.trim() ? JSON.parse(stdout) : []) as (Omit<ArchiveRecord, "orders"> & { orders: string })[];
  return rows.map((r) => ({ ...r, orders: JSON.parse(r.orders) as unknown[] }));
}

/** Recomputes every object's hash, size and count and the whole chain of a copy: a forger's manifest. */
async function forgeManifest(dir: string) {
  const m = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as Manifest;
  let prev = ZERO;
  const entries: ManifestEntry[] = [];
  for (const e of m.entries) {
    const objects: ManifestObject[] = [];
    for (const o of e.objects) {
      const body = await readFile(path.join(dir, o.key));
      objects.push({ ...o, sha256: sha256(body), bytes: body.byteLength, records: body.toString("utf8").split("\n").filter(Boolean).length });
    }
    const { chain: _chain, ...rest } = e;
    const entry = { ...rest, objects, prev };
    prev = chainOf(entry);
    entries.push({ ...entry, chain: prev });
  }
  await writeFile(path.join(dir, "manifest.json"), JSON.stringify({ ...m, entries }));
}

/** Tampered copies of an archive, each of which the verifier must refuse. */
async function proof(dir: string) {
  const base = await verifyArchive(dir);
  console.log(`archive as exported: ${base.ok ? "VERIFIED" : "FAILED"} (${base.months} months, ${base.objects} objects, ${base.records} records)`);
  for (const f of base.failures.slice(0, 5)) console.log(`  ${f}`);
  const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as Manifest;
  const first = manifest.entries[0]?.objects[0];
  if (!first) throw new Error("empty archive");
  // edits one record of the first object; `forge` then rewrites the manifest to match (object hashes and the whole chain),
  // as someone who controls the bucket could: only the prescriptions' own signatures are left to catch it
  const editFirstRecord = (edit: (r: ArchiveRecord) => void, forge: boolean) => async (copy: string) => {
    const file = path.join(copy, first.key);
    const lines = (await readFile(file, "utf8")).split("\n");
    const r = JSON.parse(lines[0] ?? "{}") as ArchiveRecord;
    edit(r);
    lines[0] = JSON.stringify(r);
    await writeFile(file, lines.join("\n"));
    if (forge) await forgeManifest(copy);
  };
  const doubleDose = (r: ArchiveRecord) => {
    r.content = r.content.replace(/"value":(\d+(\.\d+)?)/, (_m, v: string) => `"value":${Number(v) * 2}`);
  };
  const longerAndRehashed = (r: ArchiveRecord) => {
    r.content = r.content.replace(/"days":(\d+)/, (_m, d: string) => `"days":${Number(d) + 7}`);
    r.contentHash = sha256(Buffer.from(r.content, "utf8"));
  };
  const cases: [string, (copy: string) => Promise<void>][] = [
    ["a dose doubled in a record's content", editFirstRecord(doubleDose, false)],
    ["a dose doubled, manifest forged to match (object hashes and chain recomputed)", editFirstRecord(doubleDose, true)],
    ["7 days added, contentHash recomputed, manifest forged to match", editFirstRecord(longerAndRehashed, true)],
    [
      "a record removed from an object",
      async (copy) => {
        const file = path.join(copy, first.key);
        const lines = (await readFile(file, "utf8")).split("\n");
        await writeFile(file, lines.slice(1).join("\n"));
      },
    ],
    [
      "a month dropped from the manifest",
      async (copy) => {
        const m = JSON.parse(await readFile(path.join(copy, "manifest.json"), "utf8")) as Manifest;
        m.entries.splice(0, 1);
        await writeFile(path.join(copy, "manifest.json"), JSON.stringify(m));
      },
    ],
  ];
  let caught = 0;
  for (const [i, [name, tamper]] of cases.entries()) {
    const copy = `${dir}-tampered-${i}`;
    await cp(dir, copy, { recursive: true });
    await tamper(copy);
    const report = await verifyArchive(copy);
    console.log(`${name}: ${report.ok ? "NOT CAUGHT" : "refused"}${report.failures.length ? ` (${report.failures.join("; ")})` : ""}`);
    if (!report.ok) caught++;
    await rm(copy, { recursive: true, force: true });
  }
  return { verified: base.ok, records: base.records, tamperCases: cases.length, tamperCaught: caught };
}

async function main() {
  const [command, a, b, c] = process.argv.slice(2);
  if (command === "verify" && a) {
    const report = await verifyArchive(a);
    console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.ok ? 0 : 1;
  } else if (command === "proof" && a) {
    const result = await proof(a);
    process.exitCode = result.verified && result.tamperCaught === result.tamperCases ? 0 : 1;
  } else if (command === "export" && a && b && c) {
    const records = await readSignedFromSqlite(a);
    const keys = (JSON.parse(await readFile(c, "utf8")) as { keys: Jwk[] }).keys;
    const { manifest, objects } = buildArchive("bench", records, new Date().toISOString());
    await writeArchive(b, manifest, objects, keys);
    console.log(`${records.length} prescriptions in ${objects.length} objects, ${manifest.entries.length} months → ${b}`);
  } else {
    console.error("usage: archive.ts export <sqlite> <dir> <keys.json> | verify <dir> | proof <dir>");
    process.exitCode = 2;
  }
}

export { proof as archiveProof };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
