import { z } from "@hono/zod-openapi";
import { Hono } from "hono";
import { requestDb } from "../../db/tenancy";
import { patientMessagesQuery } from "./patient-messages.repo";
import { messageParams, renderNotification } from "./notifications.render";
import { OrderReference } from "../patient-status/patient-status.schemas";
import type { AppEnv } from "../../http/context";
import { devLoginEnabled } from "../../http/dev-login";
import { ApiError, validationError } from "../../errors/problem";

/**
 * The simulated patient handset (模拟患者手机): no SMS provider is configured, so patients'
 * messages are only recorded (notifications.sender.ts RecordingSender). A tester reads here
 * what the patient would have received, pickup code included (unmasked: it is the handset).
 * It exists exactly where the development sign-in does (devLoginEnabled); elsewhere it
 * answers 404 like an unknown route. Not part of the OpenAPI document.
 */
const MAX_MESSAGES = 100;

const SmsQuery = z
  .object({
    patientId: z.string().trim().min(1).max(64).optional(),
    reference: OrderReference.optional(),
  })
  .refine((q) => Boolean(q.patientId) !== Boolean(q.reference), { message: "give exactly one of patientId or reference", path: ["patientId"] });

export interface PhoneMessage {
  id: string;
  orderId: string;
  channel: string;
  template: string;
  /** pending: not sent by the cron yet (the handset shows it anyway: it is what will arrive) */
  state: string;
  at: string;
  text: string;
}

function render(template: string, params: Record<string, string>): string {
  try {
    return renderNotification(template, params);
  } catch {
    // an unknown template is a permanent send failure: the handset never received a text
    return `（无法显示的消息：${template}）`;
  }
}

export const devPhoneRoutes = new Hono<AppEnv>().get("/dev/sms", async (c) => {
  if (!devLoginEnabled(c)) throw new ApiError("not-found", `no route for ${c.req.method} ${c.req.path}`);
  const parsed = SmsQuery.safeParse(c.req.query());
  if (!parsed.success) throw validationError(parsed.error, "query");
  const { patientId, reference } = parsed.data;
  const by = patientId ? { patientId } : { reference: reference ?? "" };
  const rows = await patientMessagesQuery(requestDb(c), by, MAX_MESSAGES);
  const items: PhoneMessage[] = rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    channel: r.channel,
    template: r.template,
    state: r.state,
    at: r.createdAt,
    text: render(r.template, messageParams(r.params, { siteName: r.siteName, carrier: r.carrier, trackingNo: r.trackingNo, rejectReason: r.rejectReason })),
  }));
  c.header("Cache-Control", "no-store");
  return c.json({ patientId: rows[0]?.patientId ?? patientId ?? null, items }, 200);
});
