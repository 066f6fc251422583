import { serviceContext } from "../context";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { notificationRoutes } from "./notifications.routes";
import { GroupedQuery, LongPrescriptionReport, OrdersByStateReport, QualificationRateReport, RangeQuery, TurnaroundReport } from "./reports.schemas";
import { longPrescriptionReport, ordersByStateReport, qualificationRateReport, turnaroundReport } from "./reports.service";

const PERIOD =
  "The period is `from`..`to`, China dates (UTC+8) inclusive, at most 366 days; without them, the current month. " +
  "from > to: 400. Every group is listed, zero-filled; a rate or duration is 0 when its count is 0. One D1 round trip.";

/** Consortium-wide figures for admins; the order-notification inspection route rides along. */
export const reportRoutes = openApiApp()
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reports/qualification-rate",
      tags: ["Reports"],
      summary: "处方合格率: approved on review / reviewed, per institution or month",
      description:
        "One unit per prescription: its first review decision (approve or reject) over all its instalment orders, dated by that decision " +
        "and attributed to the prescribing institution; re-reviews of later instalments are not counted again. " +
        `Rejections are broken down by 处方点评 category. ${PERIOD}`,
      request: { query: GroupedQuery },
      responses: { 200: jsonResponse(QualificationRateReport, "Counts and rate") },
    }),
    async (c) => c.json(await qualificationRateReport(serviceContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reports/long-prescriptions",
      tags: ["Reports"],
      summary: "Long-prescription share of signed prescriptions and their mean days, per institution or month",
      description: `Prescriptions signed in the period, cancelled ones included, by the signing institution and China month. ${PERIOD}`,
      request: { query: GroupedQuery },
      responses: { 200: jsonResponse(LongPrescriptionReport, "Counts, share and mean days") },
    }),
    async (c) => c.json(await longPrescriptionReport(serviceContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reports/orders-by-state",
      tags: ["Reports"],
      summary: "Orders created in the period by current status, per pharmacy",
      description: `Later instalments are counted from signing, as scheduled until released. ${PERIOD}`,
      request: { query: RangeQuery },
      responses: { 200: jsonResponse(OrdersByStateReport, "Counts per pharmacy and status") },
    }),
    async (c) => c.json(await ordersByStateReport(serviceContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reports/turnaround",
      tags: ["Reports"],
      summary: "Review and fulfilment turnaround (median, p90, mean in hours), per institution or month",
      description:
        "Per order (each instalment): review from entering pending_review to approve/reject, dated by the decision; fulfilment from " +
        "approval to picked_up/delivered, dated by the hand-over. Percentiles interpolate linearly between closest ranks, computed in SQL. " +
        PERIOD,
      request: { query: GroupedQuery },
      responses: { 200: jsonResponse(TurnaroundReport, "Duration statistics") },
    }),
    async (c) => c.json(await turnaroundReport(serviceContext(c), c.req.valid("query")), 200),
  )
  .route("/", notificationRoutes);
