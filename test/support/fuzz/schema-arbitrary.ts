import fc from "fast-check";

/**
 * The subset of JSON Schema (2020-12, as OpenAPI 3.1 and zod 4's z.toJSONSchema write it)
 * that the API's request schemas use.
 */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  default?: unknown;
}

/**
 * A generator the caller prefers for a named property (real ids, existing drug codes …), or
 * undefined; `fromSchema` is what the schema alone would generate, to mix in.
 */
export type Hint = (name: string, schema: JsonSchema, fromSchema: () => fc.Arbitrary<unknown>) => fc.Arbitrary<unknown> | undefined;

export interface ArbitraryOptions {
  /** resolves "#/components/schemas/X" (or "#/$defs/X") */
  root?: { components?: { schemas?: Record<string, JsonSchema> }; $defs?: Record<string, JsonSchema> };
  hint?: Hint;
  /** valid strings are kept short: the fuzzing of lengths is the mutators' job */
  maxStringLength?: number;
  maxArrayLength?: number;
}

const LONG_AGO = new Date("2000-01-01T00:00:00.000Z");
const FAR_AHEAD = new Date("2035-12-31T23:59:59.999Z");

export function resolveRef(schema: JsonSchema, root: ArbitraryOptions["root"]): JsonSchema {
  let s = schema;
  for (let hops = 0; s.$ref && hops < 20; hops++) {
    const m = /^#\/(?:components\/schemas|\$defs)\/(.+)$/.exec(s.$ref);
    const target = m?.[1] ? (root?.components?.schemas?.[m[1]] ?? root?.$defs?.[m[1]]) : undefined;
    if (!target) throw new Error(`unresolvable $ref ${s.$ref}`);
    const { $ref: _, ...rest } = s;
    s = { ...target, ...rest };
  }
  return s;
}

/** allOf of objects as one object schema (what zod's .and/.extend and OpenAPI composition write). */
export function flatten(schema: JsonSchema, root: ArbitraryOptions["root"]): JsonSchema {
  const s = resolveRef(schema, root);
  if (!s.allOf) return s;
  const { allOf, ...rest } = s;
  const out: JsonSchema = { ...rest, properties: { ...rest.properties }, required: [...(rest.required ?? [])] };
  for (const part of allOf.map((p) => flatten(p, root))) {
    const { properties, required, ...others } = part;
    for (const [k, v] of Object.entries(others)) if (!(k in out)) Object.assign(out, { [k]: v });
    Object.assign(out.properties ?? {}, properties);
    for (const r of required ?? []) if (!out.required?.includes(r)) out.required?.push(r);
  }
  return out;
}

function typesOf(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties) return ["object"];
  if (s.items) return ["array"];
  return [];
}

/** The numeric bounds a schema allows, with OpenAPI 3.0's boolean exclusives and 3.1's numeric ones. */
export function numericBounds(s: JsonSchema, integer: boolean): { min: number; max: number } {
  const step = integer ? 1 : Number.EPSILON * 1024;
  let min = s.minimum ?? -1e9;
  let max = s.maximum ?? 1e9;
  if (typeof s.exclusiveMinimum === "number") min = Math.max(min, s.exclusiveMinimum + step);
  else if (s.exclusiveMinimum === true) min += step;
  if (typeof s.exclusiveMaximum === "number") max = Math.min(max, s.exclusiveMaximum - step);
  else if (s.exclusiveMaximum === true) max -= step;
  if (integer) return { min: Math.ceil(min), max: Math.floor(max) };
  return { min, max };
}

function stringArbitrary(s: JsonSchema, opts: ArbitraryOptions): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? Number.POSITIVE_INFINITY, opts.maxStringLength ?? 24));
  const fits = (v: string) => v.length >= minLength && v.length <= (s.maxLength ?? Number.POSITIVE_INFINITY);
  // a date-shaped pattern gets real calendar dates too: the routes refine it to one
  if (s.pattern === "^\\d{4}-\\d{2}-\\d{2}$") return fc.date({ min: new Date("1930-01-01"), max: FAR_AHEAD, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => fits(v) && v === v.trim());
  switch (s.format) {
    case "date-time":
      return fc.date({ min: LONG_AGO, max: FAR_AHEAD, noInvalidDate: true }).map((d) => d.toISOString());
    case "date":
      return fc.date({ min: LONG_AGO, max: FAR_AHEAD, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "uri":
    case "url":
      return fc.tuple(fc.domain(), fc.stringMatching(/^[a-z0-9/]{0,12}$/)).map(([host, path]) => `https://${host}/${path}`).filter(fits);
    case "email":
      return fc.emailAddress().filter(fits);
    case "uuid":
      return fc.uuid();
  }
  // mostly readable text (Chinese included), sometimes any code point: the schema allows it
  const words = ["张桂兰", "石门乡卫生院", "每日一次", "青溪县/石门乡"].filter(fits);
  return fc.oneof(
    // trimmed, as most input schemas trim: surrounding blanks are the mutators' business
    { weight: 3, arbitrary: fc.string({ minLength, maxLength }).map((v) => v.trim()).filter(fits) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: "grapheme" }).map((v) => v.trim()).filter(fits) },
    ...(words.length ? [{ weight: 2, arbitrary: fc.constantFrom(...words) }] : []),
  );
}

/**
 * An arbitrary of values valid for `schema`: types, enums/const, numeric bounds, string
 * lengths, patterns and formats, array sizes, required and optional properties.
 */
export function arbitraryFor(schema: JsonSchema, opts: ArbitraryOptions = {}, name = "", depth = 0): fc.Arbitrary<unknown> {
  const s = flatten(schema, opts.root);
  const hinted = name ? opts.hint?.(name, s, () => arbitraryFor(s, opts, "", depth)) : undefined;
  if (hinted) return hinted;
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryFor({ ...a }, opts, name, depth)));
  const types = typesOf(s);
  if (types.length > 1 || s.nullable) {
    const arbs = types.map((t) => arbitraryFor({ ...s, type: t, nullable: false }, opts, name, depth));
    return fc.oneof(...arbs, ...(s.nullable ? [fc.constant(null)] : []));
  }
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const { min, max } = numericBounds(s, true);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case "number": {
      const { min, max } = numericBounds(s, false);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
    }
    case "string":
      return stringArbitrary(s, opts);
    case "array": {
      const item = s.items ? arbitraryFor(s.items, opts, name, depth + 1) : fc.jsonValue();
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, opts.maxArrayLength ?? 4));
      return fc.array(item, { minLength, maxLength });
    }
    case "object": {
      const props = s.properties ?? {};
      const required = s.required ?? [];
      if (Object.keys(props).length === 0) {
        const extra = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
        return extra ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), arbitraryFor(extra, opts, "", depth + 1), { maxKeys: 3 }) : fc.constant({});
      }
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) model[key] = arbitraryFor(sub, opts, key, depth + 1);
      return fc.record(model, { requiredKeys: required.filter((k) => k in props) });
    }
    default:
      // no type at all: any JSON value
      return fc.jsonValue({ maxDepth: 2 });
  }
}
