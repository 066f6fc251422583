import { z } from "@hono/zod-openapi";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InstitutionInput, PatientInput, PractitionerInput } from "../../worker/members/members.schemas";
import { PharmacyInput } from "../../worker/pharmacy/pharmacies/pharmacies.schemas";
import { Draft } from "../../worker/prescriptions/prescriptions.schemas";
import { arbitraryFor, flatten, type JsonSchema, numericBounds } from "../support/fuzz/schema-arbitrary";
import { mutations, rawWithDuplicateKey, rawWithPrototypeKeys } from "../support/fuzz/mutations";

const sample = <T>(arb: fc.Arbitrary<T>, n = 300) => fc.sample(arb, { numRuns: n, seed: 42 });

describe("JSON schema → fast-check arbitrary", () => {
  it("honours types, enums, const and numeric bounds (inclusive and exclusive)", () => {
    for (const v of sample(arbitraryFor({ type: "integer", minimum: 3, maximum: 7 }))) expect(v).toSatisfy((x: number) => Number.isInteger(x) && x >= 3 && x <= 7);
    for (const v of sample(arbitraryFor({ type: "number", exclusiveMinimum: 0, maximum: 1 }))) expect(v).toSatisfy((x: number) => x > 0 && x <= 1);
    for (const v of sample(arbitraryFor({ type: "string", enum: ["a", "b"] }))) expect(["a", "b"]).toContain(v);
    expect(new Set(sample(arbitraryFor({ const: "x" })))).toEqual(new Set(["x"]));
    expect(numericBounds({ exclusiveMinimum: 0, exclusiveMaximum: 10 }, true)).toEqual({ min: 1, max: 9 });
    expect(numericBounds({ minimum: 0, exclusiveMinimum: true }, true)).toEqual({ min: 1, max: 1e9 });
  });

  it("honours string lengths, patterns and formats", () => {
    for (const v of sample(arbitraryFor({ type: "string", minLength: 2, maxLength: 5 }))) expect(v).toSatisfy((x: string) => x.length >= 2 && x.length <= 5);
    for (const v of sample(arbitraryFor({ type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$" }))) expect(v).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
    for (const v of sample(arbitraryFor({ type: "string", format: "date-time" }))) expect(new Date(v as string).toISOString()).toBe(v);
    for (const v of sample(arbitraryFor({ type: "string", format: "uri" }), 50)) expect(() => new URL(v as string)).not.toThrow();
  });

  it("always writes required properties and sometimes leaves optional ones out", () => {
    const values = sample(arbitraryFor({ type: "object", properties: { a: { type: "string" }, b: { type: "integer" } }, required: ["a"] })) as Record<string, unknown>[];
    expect(values.every((v) => typeof v.a === "string")).toBe(true);
    expect(values.some((v) => "b" in v)).toBe(true);
    expect(values.some((v) => !("b" in v))).toBe(true);
  });

  it("resolves $ref, merges allOf and covers every anyOf branch and nullable", () => {
    const root = { components: { schemas: { Id: { type: "string", pattern: "^id-[0-9]{3}$" } satisfies JsonSchema } } };
    const merged = flatten({ allOf: [{ type: "object", properties: { a: { $ref: "#/components/schemas/Id" } }, required: ["a"] }, { properties: { b: { type: "boolean" } }, required: ["b"] }] }, root);
    expect(merged.required).toEqual(["a", "b"]);
    for (const v of sample(arbitraryFor(merged, { root })) as { a: string; b: boolean }[]) {
      expect(v.a).toMatch(/^id-[0-9]{3}$/);
      expect(typeof v.b).toBe("boolean");
    }
    const kinds = new Set(sample(arbitraryFor({ anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] })).map((v) => (v === null ? "null" : typeof v)));
    expect(kinds).toEqual(new Set(["string", "number", "null"]));
    expect(() => arbitraryFor({ $ref: "#/components/schemas/Missing" }, { root })).toThrow(/unresolvable/);
  });

  it("prefers the caller's hint for a named property", () => {
    const arb = arbitraryFor({ type: "object", properties: { patientId: { type: "string" } }, required: ["patientId"] }, { hint: (n) => (n === "patientId" ? fc.constant("pat-001") : undefined) });
    expect(new Set(sample(arb).map((v) => (v as { patientId: string }).patientId))).toEqual(new Set(["pat-001"]));
  });

  // the real request schemas of the routes: what the converter generates, zod accepts, but for refinements
  it.each([
    ["InstitutionInput", InstitutionInput, 1],
    ["PractitionerInput", PractitionerInput, 1],
    ["PharmacyInput", PharmacyInput, 0.9],
    ["PatientInput", PatientInput, 0.1],
    ["Draft", Draft, 0],
  ] as const)("values generated from %s's JSON schema pass the same zod schema but for its refinements", (_, schema, atLeast) => {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const values = sample(arbitraryFor(json, { root: json as { $defs?: Record<string, JsonSchema> } }), 200);
    const issues = values.flatMap((v) => schema.safeParse(v).error?.issues ?? []);
    // a zod .refine/.superRefine (cross-field rules, calendar checks) is "custom" and not in the JSON schema; every other rule is
    expect(issues.filter((i) => i.code !== "custom")).toEqual([]);
    expect(values.filter((v) => schema.safeParse(v).success).length / values.length).toBeGreaterThanOrEqual(atLeast);
  });
});

describe("mutations", () => {
  const schema: JsonSchema = { type: "object", properties: { name: { type: "string", maxLength: 10 }, n: { type: "integer", minimum: 1, maximum: 5 }, tags: { type: "array", items: { type: "string" } } }, required: ["name", "n"] };
  const valid = { name: "x", n: 2, tags: ["a"] };

  it("writes prototype keys and duplicate keys into the raw JSON, where JSON.stringify cannot", () => {
    const proto = rawWithPrototypeKeys(JSON.stringify(valid));
    expect(proto).toContain('"__proto__"');
    expect(proto).toContain('"constructor"');
    expect(JSON.parse(proto).name).toBe("x");
    const dup = rawWithDuplicateKey(JSON.stringify(valid), "name", 42);
    expect(dup.match(/"name"/g)).toHaveLength(2);
  });

  it("produces every kind of mutation, each as raw text or no body", () => {
    const seen = new Set<string>();
    for (const m of sample(mutations(valid, schema, {}), 500)) {
      seen.add(m.kind);
      expect(typeof m.raw === "string" || m.raw === undefined).toBe(true);
    }
    for (const kind of ["drop-required", "wrong-type", "out-of-range", "huge-string", "hostile-text", "prototype-keys", "extra-property", "duplicate-key", "wrong-content-type", "malformed-json", "huge-array"]) {
      expect(seen).toContain(kind);
    }
  });
});
