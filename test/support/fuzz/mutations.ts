import fc from "fast-check";
import { type ArbitraryOptions, flatten, type JsonSchema } from "./schema-arbitrary";

/** A request body as sent: the raw text (undefined: no body) and its content type (undefined: no header). */
export interface BodyMutation {
  kind: string;
  raw: string | undefined;
  contentType: string | undefined;
}

type Path = (string | number)[];
type Json = unknown;

/** Strings a careless or hostile client sends: NUL, bidi overrides, emoji, lone surrogates, SQL, markup, traversal. */
export const HOSTILE_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\u202egnp.exe",
  "\u200b",
  "😀👨‍👩‍👧‍👦",
  "\ud800",
  "\udfff\ud800",
  "'; DROP TABLE patients; --",
  "\" OR 1=1 --",
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "%00",
  "%ZZ",
  "\r\nX-Injected: 1",
  "１２３４",
  "é",
  "ﷺ",
  "__proto__",
  "constructor",
  "   ",
  "",
  "NaN",
  "-0",
  "1e999",
  "9999-99-99",
  "2026-02-30",
  "0000-00-00T00:00:00Z",
];

const WRONG_VALUES: Json[] = [0, -1, 1.5, true, false, null, "", "x", [], {}, [[]], { a: { b: [] } }, "0", "true", "null", 1e308, -1e308];
const EXTREME_NUMBERS = [-1, 0, -0.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 1e-320, 0.1 + 0.2, 999999999999, 4294967296];
const CONTENT_TYPES = [
  undefined,
  "",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/problem+json",
  "application/json-patch+json",
  "text/csv",
  "application/octet-stream",
  "*/*",
  "application/json, text/plain",
];

function clone(v: Json): Json {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Every path into a JSON value (objects and arrays), the root excluded. */
export function pathsOf(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push([...prefix, i], ...pathsOf(x, [...prefix, i]));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...pathsOf(x, [...prefix, k]));
  return out;
}

function getAt(v: Json, path: Path): Json {
  let cur = v;
  for (const key of path) cur = cur && typeof cur === "object" ? (cur as Record<string | number, Json>)[key] : undefined;
  return cur;
}

/** A copy of v with the node at path replaced (or removed when `remove`). */
export function setAt(v: Json, path: Path, value: Json, remove = false): Json {
  if (path.length === 0) return value;
  const out = clone(v);
  const parent = getAt(out, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent && typeof parent === "object" && last !== undefined) {
    const p = parent as Record<string | number, Json>;
    if (remove && Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
    else if (remove) delete p[last];
    else p[last] = value;
  }
  return out;
}

/** Paths of the required properties present in a value, found by walking the schema with it. */
export function requiredPaths(v: Json, schema: JsonSchema, root: ArbitraryOptions["root"], prefix: Path = []): Path[] {
  const s = flatten(schema, root);
  const out: Path[] = [];
  const items = s.items;
  if (Array.isArray(v) && items) for (const [i, x] of v.entries()) out.push(...requiredPaths(x, items, root, [...prefix, i]));
  else if (v && typeof v === "object" && s.properties) {
    for (const [k, sub] of Object.entries(s.properties)) {
      if (!(k in (v as object))) continue;
      if (s.required?.includes(k)) out.push([...prefix, k]);
      out.push(...requiredPaths((v as Record<string, Json>)[k], sub, root, [...prefix, k]));
    }
  }
  return out;
}

const ofType = (v: Json, pred: (x: Json) => boolean) => pathsOf(v).filter((p) => pred(getAt(v, p)));

/** Inserts text right after the first "{" of a JSON object text, with the comma the rest needs. */
function insertFirst(raw: string, members: string): string {
  const at = raw.indexOf("{");
  if (at < 0) return `{${members}}`;
  const rest = raw.slice(at + 1);
  return `${raw.slice(0, at + 1)}${members}${rest.trimStart().startsWith("}") ? "" : ","}${rest}`;
}

/** `__proto__`, `constructor` and `prototype` as own keys of the body, which JSON.stringify of an object literal cannot write. */
export function rawWithPrototypeKeys(raw: string): string {
  return insertFirst(raw, '"__proto__":{"polluted":true,"role":"admin","isAdmin":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}');
}

/** The key written twice: first with `value` (the later original wins in JSON.parse) or, with `last`, after it. */
export function rawWithDuplicateKey(raw: string, key: string, value: Json, last = false): string {
  const member = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  if (!last) return insertFirst(raw, member);
  const end = raw.lastIndexOf("}");
  if (end < 0) return raw;
  const before = raw.slice(0, end).trimEnd();
  return `${before}${before.endsWith("{") ? "" : ","}${member}${raw.slice(end)}`;
}

const json = (kind: string, value: Json): BodyMutation => ({ kind, raw: JSON.stringify(value), contentType: "application/json" });

/**
 * Mutations of one valid body: fields dropped, wrong types, out-of-range numbers, huge
 * strings and arrays, hostile text, prototype keys, extra properties, duplicate keys,
 * wrong content types and malformed JSON.
 */
export function mutations(valid: Json, schema: JsonSchema, root: ArbitraryOptions["root"]): fc.Arbitrary<BodyMutation> {
  const raw = JSON.stringify(valid ?? {});
  const all = pathsOf(valid);
  const anyPath = all.length ? fc.constantFrom<Path>([], ...all) : fc.constant<Path>([]);
  const required = requiredPaths(valid, schema, root);
  const strings = ofType(valid, (x) => typeof x === "string");
  const numbers = ofType(valid, (x) => typeof x === "number");
  const arrays = ofType(valid, Array.isArray);
  const objects: Path[] = [[], ...ofType(valid, (x) => !!x && typeof x === "object" && !Array.isArray(x))];
  const keys = valid && typeof valid === "object" && !Array.isArray(valid) ? Object.keys(valid) : [];
  const pick = (paths: Path[]) => (paths.length ? fc.constantFrom(...paths) : anyPath);

  return fc.oneof(
    pick(required.length ? required : all).map((p) => json("drop-required", setAt(valid, p, undefined, true))),
    fc.tuple(anyPath, fc.constantFrom(...WRONG_VALUES)).map(([p, w]) => json("wrong-type", setAt(valid, p, w))),
    fc.tuple(pick(numbers), fc.constantFrom(...EXTREME_NUMBERS)).map(([p, n]) => json("out-of-range", setAt(valid, p, n))),
    fc.tuple(pick(strings), fc.constantFrom(300, 5_000, 70_000, 300_000), fc.constantFrom("x", "药", "😀")).map(([p, n, c]) => json("huge-string", setAt(valid, p, c.repeat(n)))),
    fc.tuple(pick(strings), fc.constantFrom(...HOSTILE_STRINGS)).map(([p, h]) => json("hostile-text", setAt(valid, p, h))),
    fc.constantFrom(...objects).map((p) => {
      const target = JSON.stringify(getAt(valid, p) ?? {});
      return { kind: "prototype-keys", raw: p.length ? raw.replace(target, rawWithPrototypeKeys(target)) : rawWithPrototypeKeys(raw), contentType: "application/json" };
    }),
    fc.tuple(fc.constantFrom(...objects), fc.dictionary(fc.constantFrom("extra", "id", "role", "admin", "x-y", "", " ", "😀", "__defineGetter__", "hasOwnProperty", "toString"), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1, maxKeys: 3 })).map(([p, extra]) => {
      const target = getAt(valid, p);
      return json("extra-property", setAt(valid, p, { ...(target && typeof target === "object" ? target : {}), ...extra }));
    }),
    fc.tuple(keys.length ? fc.constantFrom(...keys) : fc.constant("id"), fc.constantFrom(...WRONG_VALUES), fc.boolean()).map(([k, w, last]) => ({ kind: "duplicate-key", raw: rawWithDuplicateKey(raw, k, w, last), contentType: "application/json" })),
    fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({ kind: "wrong-content-type", raw, contentType })),
    fc
      .constantFrom(
        raw.slice(0, Math.max(1, raw.length >> 1)),
        `${raw.slice(0, -1)},}`,
        raw.replaceAll('"', "'"),
        `\ufeff${raw}`,
        `${raw}${raw}`,
        "",
        "null",
        "[]",
        '"text"',
        "NaN",
        "{",
        "}",
        `{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
        `${"{\"a\":".repeat(3_000)}1${"}".repeat(3_000)}`,
        "\u0000",
        '{"a":"\\ud800"}',
        '{"a":"\\u0000"}',
        "{\"a\":1}\u0000garbage",
      )
      .map((r) => ({ kind: "malformed-json", raw: r, contentType: "application/json" })),
    fc.tuple(arrays.length ? fc.constantFrom(...arrays) : fc.constant<Path>([]), fc.constantFrom(1_000, 20_000)).map(([p, n]) => {
      const item = (getAt(valid, p) as Json[] | undefined)?.[0] ?? valid ?? 0;
      return json("huge-array", setAt(valid, p, Array.from({ length: n }, () => item)));
    }),
  );
}
