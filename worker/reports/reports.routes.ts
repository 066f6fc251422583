import { serviceContext } from "../context";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { notificationRoutes } from "./notifications.routes";
import { prescribingIndicatorsReport } from "./indicators.service";
import {
  GroupedQuery,
  LongPrescriptionReport,
  OrdersByStateReport,
  PrescribingIndicatorsReport,
  QualificationRateReport,
  RangeQuery,
  TurnaroundReport,
} from "./reports.schemas";
import { longPrescriptionReport, ordersByStateReport, qualificationRateReport, turnaroundReport } from "./reports.service";

const PERIOD =
  "The period is `month` (YYYY-MM) or `from`..`to`, China dates (UTC+8) inclusive, at most 366 days; without them, the current month. " +
  "from > to, or month with from/to: 400. `level` and `institutionId` narrow it to those institutions (an unknown institution: 404). " +
  "Every group is listed, zero-filled; a rate or duration is 0 when its count is 0. One D1 round trip.";

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
        "Rejections are broken down by 处方点评 category. `review` adds the 处方点评 results of the monthly samples (review_items) of every month " +
        "the period touches: sampled, reviewed, rational, each irrational category and 点评合格率 = rational / reviewed. `cells` gives both per " +
        `month × institution. ${PERIOD}`,
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
        "approval to picked_up/delivered, dated by the hand-over. Counts and means are exact. Median and p90 interpolate linearly between " +
        "closest ranks over daily histograms of fixed buckets (under 0, under a minute, then ×1.25 from a minute up to ~10 days), each rank " +
        "valued at its bucket's mean: exact when a bucket's durations are equal, otherwise within the bucket's width (≤ 25% of the value, or a minute). " +
        PERIOD,
      request: { query: GroupedQuery },
      responses: { 200: jsonResponse(TurnaroundReport, "Duration statistics") },
    }),
    async (c) => c.json(await turnaroundReport(serviceContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reports/prescribing-indicators",
      tags: ["Reports"],
      summary: "WHO/INRUD core prescribing indicators per institution and per doctor, against their peers' quartiles",
      description:
        "WHO/INRUD prescribing indicators (How to investigate drug use in health facilities, WHO/DAP/93.1) for the prescriptions signed in the " +
        "period and not cancelled (one encounter = one prescription): mean drugs per prescription, % prescriptions with an antimicrobial (an " +
        "entry with a 抗菌药物分级) and with an injection (the item's route as prescribed, else the entry's: iv, im, sc, intradermal), % items " +
        "from the essential list (`essential`), % items prescribed by generic name and % items that are 集采 (`vbp`). What was prescribed is " +
        "read from the frozen signed content; each item's flags from the formulary entry as of the version it was signed against. " +
        "**Generic name**: an item counts when its signed content names it by the formulary entry's 通用名 (`drug.genericName`). The platform " +
        "prescribes only from the formulary by 通用名 (处方管理办法 第十七条) and has no brand-name field, so this is 100% unless an item was " +
        "signed without its formulary entry: it measures the record, not a choice the doctor could make. " +
        "Peers: each institution against the quartiles (p25/p50/p75) of the institutions of its level in the consortium, each doctor against " +
        "every doctor of the consortium, over those who prescribed in the period; `level`/`institutionId` narrow the rows, never the peers. " +
        PERIOD,
      request: { query: RangeQuery },
      responses: { 200: jsonResponse(PrescribingIndicatorsReport, "Indicators, per institution and doctor, with the peers' quartiles") },
    }),
    async (c) => c.json(await prescribingIndicatorsReport(serviceContext(c), c.req.valid("query")), 200),
  )
  .route("/", notificationRoutes);
