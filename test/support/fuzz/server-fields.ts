import fc from "fast-check";
import { arbitraryFor, flatten, type JsonSchema } from "./schema-arbitrary";
import { type Answer, type Caller, CALLERS, encodeLoose, type FuzzContext, type FuzzRequest, hintFrom, type Operation, operationsOf, propertiesOf, type Sender, validBodyArb } from "./harness";

/** A field the response has and the request schema does not: the server owns it. */
export interface ServerField {
  name: string;
  /** the response object it sits in: "" at the top, or the name of a top-level object property ("entry", "order" …) */
  within: string;
  schema: JsonSchema;
}

/** The fields of the success schema (top level and one object level down) that the request schema lacks. */
export function serverFields(op: Operation, ctx: FuzzContext): ServerField[] {
  if (!op.body || !op.success) return [];
  const root = { components: ctx.doc.components };
  const requestProps = propertiesOf(op.body.schema, ctx);
  const request = new Set(Object.keys(requestProps));
  const out: ServerField[] = [];
  const top = propertiesOf(op.success, ctx);
  for (const [name, schema] of Object.entries(top)) {
    if (!request.has(name)) out.push({ name, within: "", schema: flatten(schema, root) });
    const inner = flatten(schema, root).properties;
    // inside an object the request also sends (fulfilment …) its own fields are the client's; inside a wrapper (entry …) the top-level ones are
    const clients = request.has(name) ? new Set(Object.keys(propertiesOf(requestProps[name], ctx))) : request;
    if (inner) for (const [n, s] of Object.entries(inner)) if (!clients.has(n) && !(n in top)) out.push({ name: n, within: name, schema: flatten(s, root) });
  }
  return out;
}

/**
 * The value a client would try to set: distinctive, so that finding it in an answer can only
 * mean the server took it. Booleans and objects cannot be told apart from what the server
 * would write itself, so they are left out; enums are handled by `followedTwice`.
 */
export function injectedValue(f: ServerField, serial: number): unknown {
  const s = f.schema;
  if (s.enum) return s.enum[serial % s.enum.length];
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "string") return s.format === "date-time" ? "1999-09-09T09:09:09.999Z" : `fuzz-injected-${f.name}-${serial}`;
  if (type === "integer" || type === "number") return 987_654_321 + serial;
  if (type === "array") return [`fuzz-injected-${f.name}`];
  return undefined;
}

function valueIn(body: unknown, f: ServerField): unknown {
  if (!body || typeof body !== "object") return undefined;
  const holder = f.within ? (body as Record<string, unknown>)[f.within] : body;
  return holder && typeof holder === "object" ? (holder as Record<string, unknown>)[f.name] : undefined;
}

/** Where a written resource can be read back: the same path (PUT/PATCH) or the created item's path (POST). */
export function rereadOf(op: Operation, ctx: FuzzContext): Operation | undefined {
  const gets = operationsOf(ctx.doc).filter((o) => o.method === "GET");
  if (op.method !== "POST") return gets.find((g) => g.template === op.template);
  return gets.find((g) => g.template.startsWith(`${op.template}/{`) && g.template.split("/").length === op.template.split("/").length + 1);
}

export interface Injection {
  field: ServerField;
  value: unknown;
  got: unknown;
  where: "answer" | "re-read";
}

/** A request to a write operation, by a caller it allows, with a schema-valid body plus client values for the server's fields. */
export function injectingRequestArb(op: Operation, ctx: FuzzContext, fields: ServerField[]): fc.Arbitrary<{ req: FuzzRequest; injected: Map<ServerField, unknown> }> {
  const callers = (Object.keys(CALLERS) as Caller[]).filter((c) => {
    const who = CALLERS[c];
    return who && op.roles.includes(who.role);
  });
  const collection = op.template.split("/")[1] ?? "";
  const path = fc.tuple(...op.path.map((p) => arbitraryFor(p.schema, { root: { components: ctx.doc.components }, hint: hintFrom(ctx.pools, collection) }, p.name))).map((vs) => {
    let i = 0;
    return op.template.replace(/\{[^}]+\}/g, () => encodeLoose(String(vs[i++])));
  });
  return fc.record({ caller: fc.constantFrom(...(callers.length ? callers : (["admin"] as Caller[]))), path, body: validBodyArb(op, ctx), serial: fc.nat(1000) }).map(({ caller, path, body, serial }) => {
    const injected = new Map<ServerField, unknown>();
    const out: Record<string, unknown> = body && typeof body === "object" && !Array.isArray(body) ? { ...(body as Record<string, unknown>) } : {};
    for (const f of fields) {
      const value = injectedValue(f, serial);
      if (value === undefined) continue;
      injected.set(f, value);
      if (f.within) out[f.within] = { ...(typeof out[f.within] === "object" && out[f.within] ? (out[f.within] as object) : {}), [f.name]: value };
      else out[f.name] = value;
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    for (const h of op.headers) if (h.name === "idempotency-key") headers[h.name] = crypto.randomUUID();
    return { req: { caller, method: op.method, url: path, headers, raw: JSON.stringify(out), kind: "server-fields" }, injected };
  });
}

/** Where an injected value came back: in the answer or in the stored row read again. */
export function echoes(injected: Map<ServerField, unknown>, body: unknown, where: Injection["where"]): Injection[] {
  const out: Injection[] = [];
  for (const [field, value] of injected) {
    const got = valueIn(body, field);
    if (got !== undefined && JSON.stringify(got) === JSON.stringify(value)) out.push({ field, value, got, where });
  }
  return out;
}

/**
 * An enum field (a status, a kind) can equal an injected value by chance, e.g. "active" on
 * a create; it is settable only if the answer followed two different injected values.
 */
export function followedTwice(echoed: Injection[]): Injection[] {
  const byField = new Map<string, Set<string>>();
  for (const e of echoed) {
    const key = `${e.field.within}.${e.field.name}@${e.where}`;
    byField.set(key, (byField.get(key) ?? new Set()).add(JSON.stringify(e.value)));
  }
  return echoed.filter((e) => !e.field.schema.enum || (byField.get(`${e.field.within}.${e.field.name}@${e.where}`)?.size ?? 0) >= 2);
}

export async function ifMatchFor(sender: Sender, req: FuzzRequest): Promise<string | undefined> {
  const res: Answer = await sender.send({ ...req, method: "GET", headers: {}, kind: "etag" });
  return res.headers.get("etag") ?? undefined;
}

/** A 400 whose issues name every injected top-level field as unrecognized (zod's strict objects). */
export function refusesInjected(text: string, injected: Map<ServerField, unknown>): boolean {
  let body: { code?: string; issues?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (body.code !== "validation-failed") return false;
  const unrecognized = (body.issues ?? []).filter((i) => /Unrecognized key/.test(i.message)).map((i) => i.message).join(" ");
  const names = new Set([...injected.keys()].map((f) => f.within || f.name));
  return names.size > 0 && [...names].every((n) => unrecognized.includes(`"${n}"`));
}
