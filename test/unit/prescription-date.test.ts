import { describe, expect, it } from "vitest";
import { prescriptionDate } from "../../worker/prescriptions/prescriptions.service";

/** The date a draft is written on decides what is in effect and whether it may be signed today: always a China date. */
describe("prescriptionDate", () => {
  const now = new Date("2026-12-05T15:59:59Z"); // 23:59:59 in China
  it.each([
    ["no writtenAt: today in China", undefined, "2026-12-05"],
    ["no writtenAt after 16:00Z is already tomorrow in China", undefined, "2026-12-06", new Date("2026-12-05T16:00:00Z")],
    ["a bare date is itself", "2026-10-12", "2026-10-12"],
    ["an offset-less date-time is China time, not UTC", "2026-10-12T23:30:00", "2026-10-12"],
    ["an offset-less date-time just after China midnight", "2026-10-13T00:10", "2026-10-13"],
    ["a UTC instant after 16:00Z is the next China day", "2026-10-12T16:30:00Z", "2026-10-13"],
    ["a UTC instant before 16:00Z is the same China day", "2026-10-12T15:59:59Z", "2026-10-12"],
    ["an explicit +08:00 offset", "2026-10-12T23:30:00+08:00", "2026-10-12"],
  ])("%s", (_name, writtenAt, expected, at = now) => {
    expect(prescriptionDate(writtenAt, at)).toBe(expected);
  });
});
