import type { Ctx } from "../context";
import { ApiError } from "../errors/problem";
import { messageParams, redactParams, renderNotification } from "../pharmacy/notifications/notifications.render";
import { notRegistered } from "../members/registration";
import { type NotificationListRow, type OrderOwnerRow, orderNotificationsStatement, orderOwnerStatement, pharmacistRegistrationStatement } from "./reports.repo";
import type { OrderNotification } from "./reports.schemas";

/**
 * An order's patient notifications, for inspection: admins see any order's, a pharmacist
 * registered at the token's pharmacy only that pharmacy's (another pharmacy's order is a
 * 404, so existence does not leak; an unregistered pharmacist a 403). The pickup code is masked in params and preview. One D1 round trip.
 */
export async function listOrderNotifications(ctx: Pick<Ctx, "db" | "actor">, orderId: string): Promise<OrderNotification[]> {
  const d1 = ctx.db.$client;
  const { actor } = ctx;
  const [registration, owner, list] = await d1.batch<unknown>([
    pharmacistRegistrationStatement(d1, actor.sub, actor.org),
    orderOwnerStatement(d1, orderId),
    orderNotificationsStatement(d1, orderId),
  ]);
  // registration first, so an unregistered caller learns nothing about order ids
  if (actor.role === "pharmacist" && !registration?.results.length) throw notRegistered(actor);
  const order = owner?.results[0] as OrderOwnerRow | undefined;
  if (!order || (ctx.actor.role === "pharmacist" && order.pharmacy_id !== ctx.actor.org)) {
    throw new ApiError("not-found", `no order ${orderId}`);
  }
  const facts = { siteName: order.site_name, carrier: order.carrier, trackingNo: order.tracking_no, rejectReason: order.reject_reason };
  return ((list?.results ?? []) as NotificationListRow[]).map((n) => {
    const params = redactParams(JSON.parse(n.params) as Record<string, string>);
    let preview: string | null;
    try {
      preview = renderNotification(n.template, messageParams(params, facts));
    } catch {
      preview = null;
    }
    return {
      id: n.id,
      orderId: n.order_id,
      channel: n.channel as OrderNotification["channel"],
      template: n.template,
      state: n.state as OrderNotification["state"],
      params,
      preview,
      createdAt: n.created_at,
      sentAt: n.sent_at,
    };
  });
}
