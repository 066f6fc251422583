import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { problemResponses } from "../errors/problem";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import {
  DrawInput,
  DrawResult,
  FeedbackList,
  FeedbackQuery,
  ItemParams,
  ItemReview,
  ReviewInput,
  SampleDetail,
  SampleIdParam,
  SampleListQuery,
  SampleSummary,
  StandardItemList,
} from "./reviews.schemas";
import { closeSample, drawSamples, feedback, getSample, listSamples, parseItemIfMatch, reviewItem } from "./reviews.service";
import { RULE_SUGGESTIONS, STANDARD_ITEMS } from "./standard-items";

/*
 * 处方点评 (医院处方点评管理规范（试行）). Admins act as the consortium's 药事 office: they draw,
 * review and close the monthly samples. Doctors read the feedback on their own prescriptions.
 */

const TAGS = ["Prescription review (处方点评)"];
const etag = (version: number) => `"${version}"`;

export const reviewRoutes = openApiApp()
  .openapi(
    guardedRoute(["admin", "doctor"], {
      method: "get",
      path: "/reviews/items",
      tags: TAGS,
      summary: "The standard items of 医院处方点评管理规范 (不规范 15, 用药不适宜 9, 超常 4) and the items each engine rule suggests",
      responses: { 200: jsonResponse(StandardItemList, "The items in order") },
    }),
    (c) => c.json({ items: [...STANDARD_ITEMS], ruleSuggestions: Object.fromEntries(Object.entries(RULE_SUGGESTIONS).map(([k, v]) => [k, [...v]])) }, 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/reviews/samples",
      tags: TAGS,
      summary: "Draw the month's random sample of one institution, or of every institution without one",
      description:
        "Only a finished China month (422 otherwise). The population: the institution's prescriptions signed in the month, still signed or completed " +
        "(cancelled and replaced ones excluded). Size: max(reviewSampleSize, ⌈population ÷ 1000⌉), at most the population; the sample is drawn " +
        "uniformly with a seeded PRNG, the seed stored. One institution: 409 when it already has a sample, 422 when it signed nothing that month, 404 " +
        "when it is not a member. Without institutionId: every member institution without a sample that has prescriptions; the rest are listed in " +
        "`skipped`. Two D1 round trips; one guarded batch with the audit rows (409 when a sample was drawn meanwhile).",
      request: { body: jsonBody(DrawInput) },
      responses: {
        201: jsonResponse(DrawResult, "Samples drawn"),
        200: jsonResponse(DrawResult, "Nothing left to draw (every institution skipped)"),
        ...problemResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const result = await drawSamples(serviceContext(c), c.req.valid("json"));
      return result.samples.length > 0 ? c.json(result, 201) : c.json(result, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reviews/samples",
      tags: TAGS,
      summary: "Samples with their progress (drawn, reviewed, rational, rate), newest month first",
      description: "At most 500. One D1 round trip.",
      request: { query: SampleListQuery },
      responses: { 200: jsonResponse(z.object({ items: z.array(SampleSummary) }), "Samples") },
    }),
    async (c) => c.json({ items: await listSamples(serviceContext(c), c.req.valid("query")) }, 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/reviews/samples/{id}",
      tags: TAGS,
      summary: "A sample with every prescription: content, patient id, age and sex, the engine's stored findings and the standard items they suggest",
      description: "One D1 round trip; every patient shown gets an audit row (by id) in the same batch.",
      request: { params: SampleIdParam },
      responses: { 200: jsonResponse(SampleDetail, "The sample"), ...problemResponses(404) },
    }),
    async (c) => {
      const sample = await getSample(serviceContext(c), c.req.valid("param").id);
      c.header("ETag", etag(sample.version));
      return c.json(sample, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "put",
      path: "/reviews/samples/{id}/items/{prescriptionId}",
      tags: TAGS,
      summary: "Review one sampled prescription: the standard items found (none: 合理处方) and a note. Needs If-Match with the item's version",
      description:
        "The outcome is the gravest category among the problems (不规范 < 用药不适宜 < 超常), 'rational' when none. If-Match missing: 428; stale: 412; " +
        "closed sample: 409; unknown sample or prescription not in it: 404. The change and its audit row commit together; one D1 round trip.",
      request: {
        params: ItemParams,
        headers: z.object({ "if-match": z.string().optional().openapi({ description: 'the item\'s version, e.g. "1"' }) }),
        body: jsonBody(ReviewInput),
      },
      responses: { 200: jsonResponse(ItemReview, "The review as stored"), ...problemResponses(404, 409, 412, 428) },
    }),
    async (c) => {
      const expected = parseItemIfMatch(c.req.header("if-match"));
      const { id, prescriptionId } = c.req.valid("param");
      const result = await reviewItem(serviceContext(c), id, prescriptionId, expected, c.req.valid("json"));
      c.header("ETag", etag(result.version));
      return c.json(result, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/reviews/samples/{id}/close",
      tags: TAGS,
      summary: "Close a sample whose every prescription is reviewed; its results reach the doctors' feedback",
      description: "422 while items are unreviewed, 409 when already closed. One D1 round trip.",
      request: { params: SampleIdParam },
      responses: { 200: jsonResponse(SampleSummary, "The closed sample"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(await closeSample(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["admin", "doctor"], {
      method: "get",
      path: "/reviews/feedback",
      tags: TAGS,
      summary: "Per-doctor feedback: reviewed prescriptions with outcome, problem items (Chinese) and note, and each doctor's rate",
      description:
        "A doctor reads their own only (another prescriberId: 403) and only closed samples' results; an admin reads anyone's, or every doctor's " +
        "without prescriberId, open samples included (`sampleClosed`). Without month: the last 12 months. At most 500 items (`truncated`); " +
        "the summaries cover the whole filter. One D1 round trip.",
      request: { query: FeedbackQuery },
      responses: { 200: jsonResponse(FeedbackList, "Feedback") },
    }),
    async (c) => c.json(await feedback(serviceContext(c), c.req.valid("query")), 200),
  );
