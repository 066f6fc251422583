import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aClient, aDelivery, aPickup, lookUp, wrongCheck } from "./patient-status.fixtures";

const sameProblem = (body: unknown) => {
  const { requestId: _r, ...rest } = body as Record<string, unknown>;
  return rest;
};

describe("status lookup errors", () => {
  beforeAll(loadDemoSeed);

  it("rejects malformed references and checks with a problem naming the field, GET and POST alike", async () => {
    const client = aClient();
    const cases: [string, string, string][] = [
      ["", "1234", "reference"],
      ["AB", "1234", "reference"],
      ["ABCDEFGH<script>", "1234", "reference"],
      ["X".repeat(41), "1234", "reference"],
      ["ABCDEFGHJK", "", "check"],
      ["ABCDEFGHJK", "123", "check"],
      ["ABCDEFGHJK", "12345", "check"],
      ["ABCDEFGHJK", "12a4", "check"],
    ];
    for (const [reference, check, field] of cases) {
      for (const method of ["GET", "POST"] as const) {
        const res = await lookUp(reference, check, { client, method });
        expect(res.status, `${method} ${reference} ${check}`).toBe(400);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(JSON.stringify(res.body), `${method} ${reference} ${check}`).toContain(field);
      }
    }
  });

  it("answers a missing parameter, an unknown body field and junk bodies with 400, never 5xx", async () => {
    const headers = { "cf-connecting-ip": aClient() };
    expect((await api("GET", "/order-status?reference=ABCDEFGHJK", { headers })).status).toBe(400);
    expect((await api("GET", "/order-status", { headers })).status).toBe(400);
    expect((await api("POST", "/order-status", { headers, body: { reference: "ABCDEFGHJK", check: "1234", patientId: "pat-001" } })).status).toBe(400);
    for (const rawBody of ["", "{", "null", "[]", '"ABCDEFGHJK"', JSON.stringify({ reference: 12, check: 1234 })]) {
      const res = await api("POST", "/order-status", { headers: { ...headers, "content-type": "application/json" }, rawBody });
      expect(res.status, rawBody).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("answers an unknown reference, a wrong check and a patient without a phone with the same 404, not cached", async () => {
    const client = aClient();
    const known = await aPickup();
    const noPhone = await aPickup(null);
    const answers = [
      await lookUp("ZZZZZZZZZZ", "1234", { client }),
      await lookUp(known.reference, wrongCheck(known.check), { client }),
      // a patient without a phone: no four digits open the order, not even the placeholder's
      await lookUp(noPhone.reference, "0000", { client }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("retry-after")).toBeNull();
    }
    const [first, ...rest] = answers.map((r) => sameProblem(r.body));
    for (const other of rest) expect(other).toEqual(first);
    expect(first).toMatchObject({ status: 404, code: "not-found", detail: "no order with this reference and check" });
  });

  it("opens an order only with its own phones, not with another order's check", async () => {
    const client = aClient();
    const delivery = await aDelivery("13955554321");
    const pickup = await aPickup();
    expect((await lookUp(delivery.reference, "4321", { client })).status).toBe(200);
    expect((await lookUp(delivery.reference, pickup.check === delivery.check ? wrongCheck(pickup.check) : pickup.check, { client })).status).toBe(404);
  });
});
