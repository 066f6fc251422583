/**
 * `npx tsx bench/follow-up.ts`: the doctor's follow-up at scale (issue 8). One family doctor
 * (曹德贵, doc-fenglin-village) with 10k contracted patients, each with 1–2 long
 * prescriptions whose supply ends anywhere from 120 days ago to 120 days ahead, so a few
 * hundred are due. Measures GET /follow-up/due (first page, and a wide window of 100) and
 * patient search by pinyin initials over those 10k patients, against the floor (one raw D1
 * lookup), at c=1 and c=10. Each of these requests is ONE D1 round trip by construction
 * (counted by test/integration/follow-up.happy.test.ts and patients.search' batch).
 * Writes bench/results/follow-up-<timestamp>.json and follow-up-latest.json.
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as schema from "../schema/index.ts";
import { bulkInsert } from "../worker/db/bulk.ts";
import { pinyinInitials } from "../worker/formulary/formulary.search.ts";
import { addDays, chinaDate } from "../worker/lib/clock.ts";
import { rng } from "./data.ts";
import { compareToBaselines, measure, runsTable, scenario } from "./harness.ts";
import { benchSigningKey, loadRxFixtures } from "./rx.ts";
import { applyMigrations, buildWorker, describeBundle, httpRequest, ROOT, startServers, waitReady } from "./server.ts";

const env = process.env;
const PATIENTS = Number(env.BENCH_FOLLOW_UP_PATIENTS ?? 10_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const DEV_SECRET = "bench-dev-secret-not-for-production";
const DOCTOR = { sub: "doc-fenglin-village", org: "inst-fenglin", name: "曹德贵" };
const SURNAMES = [..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"];
const GIVEN = [..."桂兰建华淑芬国强玉珍德明丽华永福秀梅志强春花小军秀英桂英明辉海燕文博晓峰慧敏振华雪梅红霞金凤丽娟家豪子涵俊杰欣怡浩然梓萱宇轩"];

/** The two items of every synthetic long prescription: [code, generic name] of the NEML seed. */
const DRUGS: [string, string][] = [
  ["W315-05", "二甲双胍"],
  ["W185-01", "氨氯地平"],
];

type SignDevToken = (secret: string, claims: { sub: string; role: "doctor" | "pharmacist" | "admin"; org: string; name: string }) => Promise<string>;

async function loadTokenSigner(): Promise<SignDevToken> {
  const mod = (await import(new URL("../worker/http/dev-token.ts", import.meta.url).href)) as { signDevToken: SignDevToken };
  return mod.signDevToken;
}

/** 10k patients of one family doctor with 1–2 long prescriptions each, written straight to D1 (not signed: the lists read no signatures). */
function followUpRows(today: string) {
  const random = rng(8);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
  const patients: (typeof schema.patients.$inferInsert)[] = [];
  const prescriptions: (typeof schema.prescriptions.$inferInsert)[] = [];
  const items: (typeof schema.prescriptionItems.$inferInsert)[] = [];
  for (let n = 1; n <= PATIENTS; n++) {
    const id = `fu-pat-${String(n).padStart(6, "0")}`;
    const name = `${pick(SURNAMES)}${pick(GIVEN)}${random() < 0.7 ? pick(GIVEN) : ""}`;
    patients.push({ id, name, pinyin: pinyinInitials(name), gender: n % 2 ? "female" : "male", birthDate: `19${40 + (n % 45)}-0${1 + (n % 9)}-1${n % 10}`, phone: `139${String(10_000_000 + n).slice(-8)}`, familyDoctorId: DOCTOR.sub, createdAt: "2026-01-01T00:00:00.000Z" });
    // supply ending between 120 days ago and 120 days ahead; a second, older one for a third of them
    const ends = [Math.floor(random() * 241) - 120, ...(n % 3 === 0 ? [-150 - Math.floor(random() * 60)] : [])];
    ends.forEach((end, k) => {
      const rxId = `fu-rx-${n}-${k}`;
      const on = addDays(today, end - 84);
      const prescriberId = k === 0 && n % 2 ? DOCTOR.sub : "doc-shimen-gp-intermediate";
      const institutionId = prescriberId === DOCTOR.sub ? DOCTOR.org : "inst-shimen";
      prescriptions.push({
        id: rxId, patientId: id, prescriberId, institutionId, kind: "long_term", writtenAt: `${on}T01:30:00.000Z`, days: 84, longTermFirstIssue: k > 0,
        status: end < 0 ? "completed" : "signed", content: "{}", contentHash: "-", signature: "-", signatureKeyId: "-", formularyVersion: 1, findings: [],
        createdAt: `${on}T01:30:00.000Z`, version: 1,
      });
      for (const [idx, [drugCode, genericName]] of DRUGS.entries()) {
        items.push({ prescriptionId: rxId, idx, patientId: id, institutionId, drugCode, genericName, startDate: on, endDate: addDays(on, 84), days: 84, packages: 3, active: true });
      }
    });
  }
  return { patients, prescriptions, items };
}

async function main() {
  const startedAt = new Date();
  const build = env.BENCH_BUILD === "0" ? await describeBundle("dist") : await buildWorker("dist");
  const signingKey = benchSigningKey();
  const servers = await startServers({ scriptPath: build.scriptPath, port: 0, devSecret: DEV_SECRET, signingKey, echoServerLog: false });
  try {
    await applyMigrations(servers.mf);
    await waitReady(`${servers.appUrl}/health`, (s) => s === 200);
    await loadRxFixtures(servers.mf, { root: ROOT, signingKey, patientCount: 0 });
    const today = chinaDate(new Date());
    const rows = followUpRows(today);
    const db = await servers.mf.getD1Database("DB", "app");
    const statements = [...bulkInsert(schema.patients, rows.patients), ...bulkInsert(schema.prescriptions, rows.prescriptions), ...bulkInsert(schema.prescriptionItems, rows.items)];
    await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
    await db.prepare("ANALYZE").run();
    console.log(`seeded ${rows.patients.length} patients, ${rows.prescriptions.length} long prescriptions, ${rows.items.length} supply lines`);

    const token = await (await loadTokenSigner())(DEV_SECRET, { ...DOCTOR, role: "doctor" });
    const auth = { authorization: `Bearer ${token}` };
    const prefixes = ["Z", "WJ", "LX", "ZGL", "CH", "H", "SDM", "YL"];
    let turn = 0;
    const pinyinPath = () => `/api/v1/patients?q=${prefixes[turn++ % prefixes.length]}`;

    // pre-flight: what each request answers
    const first = JSON.parse((await httpRequest(`${servers.appUrl}/api/v1/follow-up/due`, { headers: auth })).text) as { items: unknown[]; nextCursor: string | null };
    const wide = JSON.parse((await httpRequest(`${servers.appUrl}/api/v1/follow-up/due?withinDays=60&limit=100`, { headers: auth })).text) as { items: unknown[] };
    const dueTotal = (await db.prepare("SELECT count(*) AS n FROM (SELECT patient_id FROM prescription_items GROUP BY patient_id HAVING max(end_date) BETWEEN ? AND ?)").bind(addDays(today, -30), addDays(today, 14)).first<{ n: number }>())?.n;
    console.log(`due list: first page ${first.items.length} items (more: ${first.nextCursor !== null}); ${dueTotal} of ${PATIENTS} patients due within 14 days or lapsed ≤ 30; withinDays=60 page ${wide.items.length}`);
    for (const q of prefixes) {
      const matches = (await db.prepare("SELECT count(*) AS n FROM patients WHERE pinyin >= ? AND pinyin < ?").bind(q, `${q}\u{10FFFF}`).first<{ n: number }>())?.n;
      console.log(`  pinyin ${q}: ${matches} patients match`);
    }

    const scenarios = [
      scenario({ name: "floor", target: "floor", path: "/?code=W315-05" }),
      scenario({ name: "due list 10k", target: "app", path: "/api/v1/follow-up/due", headers: auth, baseline: "floor" }),
      scenario({ name: "due list 10k wide", target: "app", path: "/api/v1/follow-up/due?withinDays=60&limit=100", headers: auth, baseline: "floor" }),
      scenario({ name: "search pinyin 10k", target: "app", path: pinyinPath, headers: auth, baseline: "floor" }),
    ];
    const runs = [];
    for (const connections of [1, 10]) {
      runs.push(...(await measure(scenarios, { targets: { app: servers.appUrl, floor: servers.floorUrl }, connections, seconds: SECONDS, rounds: 5, warmupSeconds: 1, phase: "10k patients", serverLog: servers.log })));
    }
    compareToBaselines(runs);
    console.log(runsTable(runs));
    const result = {
      startedAt: startedAt.toISOString(),
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", loadAverage: os.loadavg() },
      bundle: { bytes: build.bytes, sha256: build.sha256 },
      data: { patients: rows.patients.length, longPrescriptions: rows.prescriptions.length, supplyLines: rows.items.length, dueWithin14OrLapsed: dueTotal, familyDoctor: DOCTOR.sub },
      d1RoundTripsPerRequest: { "GET /follow-up/due": 1, "GET /patients?q=": 2, note: "due: guard + ranked audit row + page in one batch (test-counted); search: one batch, then its audit row" },
      runs,
    };
    const name = `follow-up-${startedAt.toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`;
    for (const file of [name, "follow-up-latest.json"]) await writeFile(path.join(ROOT, "bench/results", file), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`results: bench/results/${name}`);
  } finally {
    await servers.mf.dispose();
  }
}

await main();
