import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, openApiApp } from "../http/openapi";
import { problemResponses } from "../errors/problem";
import { listOrderNotifications } from "./notifications.service";
import { OrderNotificationList } from "./reports.schemas";

export const notificationRoutes = openApiApp().openapi(
  guardedRoute(["admin", "pharmacist"], {
    method: "get",
    path: "/notifications",
    tags: ["Notifications"],
    summary: "An order's patient notifications and their delivery state (pharmacists: own pharmacy's orders)",
    description:
      "For inspection. `pending` rows are sent by the cron; a transient failure leaves a row pending for the next run, " +
      "a permanent one marks it failed. The pickup code is masked.",
    request: { query: z.object({ orderId: z.string().min(1).max(64) }) },
    responses: {
      200: { description: "Oldest first", content: { "application/json": { schema: OrderNotificationList } } },
      ...problemResponses(404),
    },
  }),
  async (c) => c.json({ items: await listOrderNotifications(serviceContext(c), c.req.valid("query").orderId) }, 200),
);
