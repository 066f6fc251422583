import { describe, expect, it } from "vitest";
import { violations } from "../support/fuzz/harness";
import { echoes, followedTwice, refusesInjected, type ServerField } from "../support/fuzz/server-fields";

const problem = (status: number, body: Record<string, unknown>, type = "application/problem+json; charset=utf-8") => ({
  status,
  headers: new Headers({ "content-type": type, "x-request-id": "r-1" }),
  text: JSON.stringify(body),
});
const good = { type: "https://yaolian.dev/problems/not-found", title: "Not found", status: 404, detail: "no such patient", code: "not-found", requestId: "r-1" };

/** The fuzzing's oracle: what it calls a bad answer. */
describe("fuzzing checks", () => {
  it("accepts a well-formed problem and any 2xx", () => {
    expect(violations(problem(404, good))).toEqual([]);
    expect(violations({ status: 200, headers: new Headers({ "content-type": "application/json" }), text: "{}" })).toEqual([]);
  });

  it.each([
    ["a 5xx, even well-formed", problem(500, { ...good, status: 500, code: "internal-error", title: "Internal error" }), /answered 500/],
    ["an error as JSON, not problem+json", problem(404, good, "application/json"), /content-type/],
    ["an error as text", { status: 404, headers: new Headers({ "content-type": "text/plain" }), text: "404 Not Found" }, /not JSON/],
    ["a code outside the enum", problem(404, { ...good, code: "nope" }), /not in the enum/],
    ["a code of another status", problem(404, { ...good, code: "conflict" }), /another status/],
    ["a body status unlike the HTTP status", problem(404, { ...good, status: 400 }), /≠ HTTP 404/],
    ["no detail", problem(404, { ...good, detail: undefined }), /no detail/],
    ["another requestId than X-Request-Id", problem(404, { ...good, requestId: "client-chosen" }), /X-Request-Id/],
    ["a stack trace", problem(404, { ...good, detail: "TypeError: x is undefined\n    at load (/worker/x.ts:3:1)" }), /internals/],
    ["SQL", problem(404, { ...good, detail: "D1_ERROR: no such column: select id from patients" }), /internals/],
  ])("flags %s", (_, answer, message) => {
    expect(violations(answer).join("; ")).toMatch(message);
  });
});

describe("server-owned field checks", () => {
  const status: ServerField = { name: "status", within: "", schema: { type: "string", enum: ["active", "cancelled"] } };
  const version: ServerField = { name: "version", within: "entry", schema: { type: "integer" } };

  it("finds an injected value in the answer, at the top or one object down", () => {
    const injected = new Map<ServerField, unknown>([[version, 987654321]]);
    expect(echoes(injected, { entry: { version: 987654321 } }, "answer")).toHaveLength(1);
    expect(echoes(injected, { entry: { version: 1 } }, "answer")).toEqual([]);
    expect(echoes(injected, { version: 987654321 }, "answer")).toEqual([]);
  });

  it("calls an enum settable only when the answer followed two different injected values", () => {
    const once = echoes(new Map<ServerField, unknown>([[status, "active"]]), { status: "active" }, "answer");
    expect(followedTwice(once)).toEqual([]);
    const twice = [...once, ...echoes(new Map<ServerField, unknown>([[status, "cancelled"]]), { status: "cancelled" }, "answer")];
    expect(followedTwice(twice)).toHaveLength(2);
  });

  it("recognises a strict schema's refusal naming every injected field", () => {
    const injected = new Map<ServerField, unknown>([[status, "active"], [version, 1]]);
    const refusal = (message: string) => JSON.stringify({ code: "validation-failed", issues: [{ path: "", message }] });
    expect(refusesInjected(refusal('Unrecognized keys: "status", "entry"'), injected)).toBe(true);
    expect(refusesInjected(refusal('Unrecognized key: "status"'), injected)).toBe(false);
    expect(refusesInjected(JSON.stringify({ code: "not-found" }), injected)).toBe(false);
  });
});
