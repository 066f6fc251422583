import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import worker from "../../../worker/index";
import { ApiError, ErrorCode } from "../../../worker/errors/problem";
import { BASE, tokenFor } from "../api";
import { loadDemoSeed } from "../seed";
import { arbitraryFor, flatten, type Hint, type JsonSchema } from "./schema-arbitrary";
import { type BodyMutation, HOSTILE_STRINGS, mutations } from "./mutations";

/** The OpenAPI document the app generates from its zod schemas (GET /api/v1/openapi.json). */
export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface RawOperation {
  "x-roles"?: string[];
  parameters?: { name: string; in: "path" | "query" | "header"; required?: boolean; schema: JsonSchema; description?: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

export interface Operation {
  /** "POST /patients/{id}/conditions" */
  name: string;
  method: string;
  /** the path below /api/v1 */
  template: string;
  roles: string[];
  path: NonNullable<RawOperation["parameters"]>;
  query: NonNullable<RawOperation["parameters"]>;
  headers: NonNullable<RawOperation["parameters"]>;
  body?: { type: string; schema: JsonSchema };
  /** the JSON schema of the first 2xx answer, if it has one */
  success?: JsonSchema;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [full, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const [bodyType, body] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      const ok = Object.entries(op.responses).find(([s]) => s.startsWith("2"))?.[1];
      const template = full.replace(/^\/api\/v1/, "");
      out.push({
        name: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        roles: op["x-roles"] ?? [],
        path: params.filter((p) => p.in === "path"),
        query: params.filter((p) => p.in === "query"),
        headers: params.filter((p) => p.in === "header"),
        ...(body && bodyType ? { body: { type: bodyType, schema: body.schema } } : {}),
        ...(ok?.content?.["application/json"] ? { success: ok.content["application/json"].schema } : {}),
      });
    }
  }
  return out;
}

/** Seeded demo users of different institutions and pharmacies, and nobody. */
export const CALLERS = {
  doctor: { role: "doctor", sub: "doc-shimen-gp-intermediate", org: "inst-shimen" },
  "doctor-county": { role: "doctor", sub: "doc-county-cardio-senior", org: "inst-county" },
  pharmacist: { role: "pharmacist", sub: "ph-cloud-1", org: "pharm-cloud" },
  "pharmacist-renhe": { role: "pharmacist", sub: "ph-renhe-1", org: "pharm-renhe" },
  admin: { role: "admin", sub: "admin-county", org: "inst-county" },
  "admin-chengguan": { role: "admin", sub: "admin-chengguan", org: "inst-chengguan" },
  anonymous: null,
} as const;
export type Caller = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as Caller[];

export async function callerTokens(): Promise<Record<Caller, string | undefined>> {
  const out = {} as Record<Caller, string | undefined>;
  for (const name of CALLER_NAMES) {
    const c = CALLERS[name];
    out[name] = c ? await tokenFor(c.role, c.sub, c.org) : undefined;
  }
  return out;
}

/** Real ids from the seeded database, so generated requests reach the services and not only the 404s. */
export type Pools = Record<string, string[]>;

export async function loadPools(): Promise<Pools> {
  const q = async (sql: string) => (await env.DB.prepare(sql).all<{ v: string }>()).results.map((r) => r.v);
  return {
    patients: await q("SELECT id AS v FROM patients LIMIT 20"),
    prescriptions: await q("SELECT id AS v FROM prescriptions ORDER BY id LIMIT 20"),
    orders: await q("SELECT id AS v FROM orders ORDER BY id LIMIT 20"),
    "change-requests": await q("SELECT id AS v FROM change_requests LIMIT 20"),
    institutions: await q("SELECT id AS v FROM institutions"),
    practitioners: await q("SELECT id AS v FROM practitioners"),
    pharmacies: await q("SELECT id AS v FROM pharmacies"),
    sites: await q("SELECT id AS v FROM pharmacy_sites"),
    pharmacists: await q("SELECT id AS v FROM pharmacists"),
    interactions: await q("SELECT id AS v FROM interactions LIMIT 20"),
    drugs: await q("SELECT code AS v FROM formulary_entries ORDER BY code LIMIT 40"),
    conditions: await q("SELECT id AS v FROM patient_conditions LIMIT 20"),
    icd10: await q("SELECT DISTINCT icd10 AS v FROM patient_conditions"),
    prefixes: await q("SELECT DISTINCT icd10_prefix AS v FROM specialty_conditions"),
    regions: await q("SELECT DISTINCT region AS v FROM institutions"),
    settings: await q("SELECT key AS v FROM consortium_settings"),
    references: await q("SELECT reference AS v FROM orders LIMIT 10"),
  };
}

/** Which pool a property or path parameter of that name draws from. */
function poolFor(name: string, collection: string): string | undefined {
  if (name === "id" || name === "entityId") return collection === "inbox" ? "change-requests" : collection;
  const byName: Record<string, string> = {
    patientId: "patients",
    prescriptionId: "prescriptions",
    orderId: "orders",
    drugCode: "drugs",
    code: "drugs",
    institutionId: "institutions",
    prescriberId: "practitioners",
    familyDoctorId: "practitioners",
    diagnosedBy: "practitioners",
    actorId: "practitioners",
    pharmacyId: "pharmacies",
    toPharmacyId: "pharmacies",
    siteId: "sites",
    pickupSiteId: "sites",
    conditionId: "conditions",
    icd10: "icd10",
    icd10Prefix: "prefixes",
    region: "regions",
    key: "settings",
    reference: "references",
    changeRequestId: "change-requests",
  };
  return byName[name];
}

export function hintFrom(pools: Pools, collection = ""): Hint {
  return (name, _schema, fromSchema) => {
    const pool = pools[poolFor(name, collection) ?? ""];
    return pool?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fromSchema() }) : undefined;
  };
}

/** What a path segment may be besides a real or schema-valid id: traversal, NUL, bad escapes, very long ids. */
const HOSTILE_SEGMENTS = [
  "..",
  "%2e%2e",
  "..%2F..%2Fadmin",
  "%00",
  "x%00y",
  "%ZZ",
  "%",
  "%C0%AF",
  "%E2%80%AE",
  "%F0%9F%98%80",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "null",
  "undefined",
  "-1",
  "1e999",
  "' OR '1'='1",
  "a".repeat(5_000),
  "%41".repeat(2_000),
  "x;y",
  "x%2Fy",
  "%20",
];

/** One request as sent. */
export interface FuzzRequest {
  caller: Caller;
  method: string;
  /** below /api/v1, already encoded, query included */
  url: string;
  headers: Record<string, string>;
  raw?: string;
  kind: string;
}

export interface FuzzContext {
  doc: OpenApiDoc;
  pools: Pools;
}

/** Percent-encoding that also writes a lone surrogate (which no URL can carry as text) as the invalid UTF-8 bytes %ED%A0%80. */
export const encodeLoose = (v: string) =>
  Array.from(v, (ch) => {
    try {
      return encodeURIComponent(ch);
    } catch {
      return "%ED%A0%80";
    }
  }).join("");

const collectionOf = (template: string) => template.split("/")[1] ?? "";
const root = (ctx: FuzzContext) => ({ components: ctx.doc.components });

function callerArb(op: Operation): fc.Arbitrary<Caller> {
  const allowed = CALLER_NAMES.filter((c) => {
    const who = CALLERS[c];
    return who ? op.roles.includes(who.role) : op.roles.includes("public");
  });
  return allowed.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...allowed) }, { weight: 1, arbitrary: fc.constantFrom(...CALLER_NAMES) }) : fc.constantFrom(...CALLER_NAMES);
}

function pathArb(op: Operation, ctx: FuzzContext, hostile: boolean): fc.Arbitrary<string> {
  const collection = collectionOf(op.template);
  const segments = op.path.map((p) => {
    const valid = arbitraryFor(p.schema, { root: root(ctx), hint: hintFrom(ctx.pools, collection) }, p.name).map((v) => encodeLoose(String(v)));
    return hostile ? fc.oneof({ weight: 1, arbitrary: valid }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) }) : valid;
  });
  return fc.tuple(...segments).map((values) => {
    let i = 0;
    return op.template.replace(/\{[^}]+\}/g, () => values[i++] ?? "");
  });
}

function queryArb(op: Operation, ctx: FuzzContext, hostile: boolean): fc.Arbitrary<string> {
  const pairs = op.query.map((p) => {
    const valid = arbitraryFor(p.schema, { root: root(ctx), hint: hintFrom(ctx.pools) }, p.name).map((v) => String(v));
    const value = hostile ? fc.oneof(valid, fc.constantFrom(...HOSTILE_STRINGS, "-1", "0", "1e9", "99999999999999999999", "[]", "a".repeat(3_000))) : valid;
    // repeated parameters (?limit=1&limit=2) only when hostile
    return fc.option(fc.array(value, { minLength: 1, maxLength: hostile ? 3 : 1 }).map((vs) => vs.map((v) => [p.name, v] as const)), { nil: undefined, freq: 2 });
  });
  const extra = hostile ? fc.array(fc.tuple(fc.constantFrom("x", "__proto__", "constructor", "limit[]", "", "cursor", "q"), fc.constantFrom(...HOSTILE_STRINGS)), { maxLength: 2 }) : fc.constant([]);
  return fc.tuple(fc.tuple(...pairs), extra).map(([ps, ex]) => {
    const all = [...ps.flatMap((p) => p ?? []), ...ex];
    return all.length ? `?${all.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join("&")}` : "";
  });
}

function headerArb(op: Operation, hostile: boolean): fc.Arbitrary<Record<string, string>> {
  const fields = op.headers.map((h) => {
    const valid =
      h.name === "if-match" ? fc.constantFrom('"0"', '"1"', '"2"', '"3"', "*") : h.name === "x-signature" ? fc.constantFrom(`t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`, "t=1,v1=zz") : fc.uuid();
    const value = hostile ? fc.oneof(valid, fc.constantFrom("", " ", "W/\"1\"", '"-1"', '"1e9"', "a".repeat(4_000), "\u00e9", "null")) : valid;
    return fc.option(value.map((v) => [h.name, v] as const), { nil: undefined, freq: hostile ? 3 : 8 });
  });
  return fc.tuple(...fields).map((hs) => Object.fromEntries(hs.filter((h) => h !== undefined)));
}

/** A schema-valid body (with real ids mixed in), or undefined when the operation takes none. */
export function validBodyArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<unknown> {
  if (!op.body) return fc.constant(undefined);
  if (!op.body.type.includes("json")) return fc.constantFrom("code,name\nW1,x\n", "", "\u0000", "a,b\n".repeat(100));
  return arbitraryFor(op.body.schema, { root: root(ctx), hint: hintFrom(ctx.pools, collectionOf(op.template)) });
}

function bodyAsSent(op: Operation, body: unknown): BodyMutation {
  if (!op.body) return { kind: "valid", raw: undefined, contentType: undefined };
  if (!op.body.type.includes("json")) return { kind: "valid", raw: String(body), contentType: op.body.type };
  return { kind: "valid", raw: JSON.stringify(body), contentType: "application/json" };
}

/** Requests whose every part is valid for the operation's schemas (the caller may still be the wrong one). */
export function validRequestArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.record({ caller: callerArb(op), path: pathArb(op, ctx, false), query: queryArb(op, ctx, false), headers: headerArb(op, false), body: validBodyArb(op, ctx) }).map((r) => toRequest(op, r.caller, `${r.path}${r.query}`, r.headers, bodyAsSent(op, r.body)));
}

/** Requests with one or more hostile parts: mutated body, hostile path segment, garbage or repeated query, odd headers. */
export function mutatedRequestArb(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const body = op.body?.type.includes("json")
    ? validBodyArb(op, ctx).chain((valid) => mutations(valid, op.body?.schema ?? {}, root(ctx)))
    : fc.oneof(validBodyArb(op, ctx).map((b) => bodyAsSent(op, b)), mutations({}, {}, undefined));
  // operations without a body get one anyway, sometimes: a GET with a JSON body, a POST action with junk
  const anyBody = op.body ? body : fc.oneof({ weight: 3, arbitrary: fc.constant(bodyAsSent(op, undefined)) }, { weight: 1, arbitrary: mutations({}, {}, undefined) });
  return fc
    .record({ caller: callerArb(op), hostilePath: fc.boolean(), hostileQuery: fc.boolean(), hostileHeaders: fc.boolean() })
    .chain((r) =>
      fc.record({
        caller: fc.constant(r.caller),
        path: pathArb(op, ctx, r.hostilePath && op.path.length > 0),
        query: queryArb(op, ctx, r.hostileQuery || op.query.length === 0),
        headers: headerArb(op, r.hostileHeaders),
        body: anyBody,
      }),
    )
    .map((r) => toRequest(op, r.caller, `${r.path}${r.query}`, r.headers, r.body));
}

function toRequest(op: Operation, caller: Caller, url: string, headers: Record<string, string>, body: BodyMutation): FuzzRequest {
  const h = { ...headers };
  if (body.contentType !== undefined) h["content-type"] = body.contentType;
  return { caller, method: op.method, url, headers: h, kind: body.kind, ...(body.raw !== undefined ? { raw: body.raw } : {}) };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends requests through the worker's real fetch handler, counting them. */
export class Sender {
  count = 0;
  /** answers by status, for the report of what the fuzzing reached */
  readonly statuses = new Map<number, number>();
  constructor(readonly tokens: Record<Caller, string | undefined>) {}

  async send(req: FuzzRequest): Promise<Answer> {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      // a header value fetch refuses (non-Latin-1) cannot be sent by any client either
      try {
        headers.set(k, v);
      } catch {
        headers.set(k, encodeLoose(v));
      }
    }
    const token = this.tokens[req.caller];
    if (token) headers.set("authorization", `Bearer ${token}`);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : req.raw;
    this.count++;
    // the worker's own fetch handler, called directly: through exports.default.fetch each call
    // costs more than the one before in vitest-pool-workers (100 calls: 0.7 s, then 4 s, then 8 s)
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${BASE}${req.url}`, { method: req.method, headers, body }), env, ctx);
    const text = await res.text();
    await waitOnExecutionContext(ctx);
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    return { status: res.status, headers: res.headers, text };
  }
}

/** Internals an error body must never show: stack frames, source paths, SQL, D1/SQLite messages, JS error names. */
const LEAKS = /(\bat \S+ \(|\.ts:\d+|\.js:\d+|SQLITE_|D1_ERROR|\bselect\b[^"]{0,200}\bfrom\b|\binsert into\b|\bupdate \w+ set\b|\bstack\b|TypeError|ReferenceError|RangeError|\bundefined\b is not)/i;

/** What is wrong with an answer: a 5xx, or an error that is not well-formed problem+json. */
export function violations(res: Answer): string[] {
  const out: string[] = [];
  if (res.status >= 500) out.push(`answered ${res.status}`);
  if (res.status < 400) return out;
  const type = res.headers.get("content-type") ?? "";
  if (!type.startsWith("application/problem+json")) out.push(`error with content-type "${type}"`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text);
  } catch {
    return [...out, `error body is not JSON: ${res.text.slice(0, 120)}`];
  }
  const code = ErrorCode.safeParse(body.code);
  if (!code.success) out.push(`code ${JSON.stringify(body.code)} is not in the enum`);
  else if (new ApiError(code.data).status !== res.status) out.push(`code ${code.data} belongs to another status than ${res.status}`);
  if (body.status !== res.status) out.push(`body status ${String(body.status)} ≠ HTTP ${res.status}`);
  for (const field of ["type", "title", "detail", "requestId"]) if (typeof body[field] !== "string" || !body[field]) out.push(`no ${field}`);
  if (body.requestId !== res.headers.get("x-request-id")) out.push("requestId differs from X-Request-Id");
  if (LEAKS.test(res.text)) out.push(`body shows internals: ${res.text.slice(0, 200)}`);
  return out;
}

export const statusSummary = (sender: Sender) => [...sender.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");

/** A short, replayable description of a request for failure messages. */
export function describeRequest(req: FuzzRequest): string {
  return `${req.caller} ${req.method} ${req.url.slice(0, 200)} [${req.kind}] ${JSON.stringify(req.headers).slice(0, 200)} ${String(req.raw).slice(0, 300)}`;
}

export async function fuzzContext(sender: Sender): Promise<FuzzContext> {
  const doc = JSON.parse((await sender.send({ caller: "anonymous", method: "GET", url: "/openapi.json", headers: {}, kind: "doc" })).text) as OpenApiDoc;
  const pools = await loadPools();
  // settings live at their defaults until written: the known keys are listed in the parameter's description
  for (const op of operationsOf(doc)) {
    const listed = op.path.find((p) => p.name === "key")?.description?.match(/one of (.+)$/)?.[1];
    if (listed) pools.settings = [...new Set([...(pools.settings ?? []), ...listed.split(/,\s*/)])];
  }
  return { doc, pools };
}

/**
 * Runs a property over one operation: every request gets an answer without a 5xx and every
 * error is well-formed problem+json. fast-check prints the seed and the shrunk request on failure.
 */
export async function fuzzOperation(sender: Sender, arb: fc.Arbitrary<FuzzRequest>, params: { seed: number; numRuns: number }, prepare?: (req: FuzzRequest) => Promise<FuzzRequest>) {
  await fc.assert(
    fc.asyncProperty(arb, async (generated) => {
      const req = prepare ? await prepare(generated) : generated;
      const res = await sender.send(req);
      const wrong = violations(res);
      if (wrong.length) throw new Error(`${wrong.join("; ")}\n  request: ${describeRequest(req)}\n  answer: ${res.status} ${res.text.slice(0, 400)}`);
    }),
    { ...params, endOnFailure: false },
  );
}

/** The top-level properties of an object schema (allOf merged), or none. */
export function propertiesOf(schema: JsonSchema | undefined, ctx: FuzzContext): Record<string, JsonSchema> {
  return schema ? (flatten(schema, root(ctx)).properties ?? {}) : {};
}

/** Every fuzz file's start: the demo consortium, a sender holding every caller's token, and the document with real ids. */
export async function startFuzzing(): Promise<{ sender: Sender; ctx: FuzzContext }> {
  await loadDemoSeed();
  const sender = new Sender(await callerTokens());
  return { sender, ctx: await fuzzContext(sender) };
}
