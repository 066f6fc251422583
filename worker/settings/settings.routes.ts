import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import { MAX_PAGE_SIZE } from "../http/pagination";
import { problemResponses } from "../errors/problem";
import { SettingHistoryItem, SettingInput, SettingKeyParam, SettingsList, SettingView } from "./settings.schemas";
import { getSetting, listSettings, parseSettingIfMatch, settingHistory, updateSetting } from "./settings.service";

/*
 * Consortium settings. Every role reads them (the desk shows the review target, a doctor may
 * want to know when an uncollected order expires); only admins change them, one key at a
 * time with If-Match on that key's version.
 */

const TAGS = ["Consortium settings"];
const ALL_ROLES = ["doctor", "pharmacist", "admin"] as const;
const etag = (version: number) => `"${version}"`;

export const settingsRoutes = openApiApp()
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/settings",
      tags: TAGS,
      summary: "The consortium settings: values in effect, national defaults, versions, who changed them and when",
      responses: { 200: jsonResponse(SettingsList, "Every setting") },
    }),
    async (c) => c.json(await listSettings(serviceContext(c)), 200),
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/settings/{key}",
      tags: TAGS,
      summary: "One setting; its ETag is the version for If-Match (0 while at the default)",
      request: { params: SettingKeyParam },
      responses: { 200: jsonResponse(SettingView, "The setting"), ...problemResponses(404) },
    }),
    async (c) => {
      const setting = await getSetting(serviceContext(c), c.req.valid("param").key);
      c.header("ETag", etag(setting.version));
      return c.json(setting, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "put",
      path: "/settings/{key}",
      tags: TAGS,
      summary: "Change one setting (admins). Needs If-Match with the key's version",
      description:
        "The body is `{ value }`, validated by the key's schema (400 with the bounds). If-Match missing: 428; stale: 412. " +
        "The change and its audit row commit together; the audit rows are the key's history.",
      request: {
        params: SettingKeyParam,
        headers: z.object({ "if-match": z.string().optional().openapi({ description: 'the setting\'s version, e.g. "0" for a key at its default' }) }),
        body: jsonBody(SettingInput),
      },
      responses: { 200: jsonResponse(SettingView, "The setting after the change"), ...problemResponses(404, 412, 428) },
    }),
    async (c) => {
      const expected = parseSettingIfMatch(c.req.header("if-match"));
      const setting = await updateSetting(serviceContext(c), c.req.valid("param").key, expected, c.req.valid("json"));
      c.header("ETag", etag(setting.version));
      return c.json(setting, 200);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "get",
      path: "/settings/{key}/history",
      tags: TAGS,
      summary: "The changes of one setting, newest first (its audit rows)",
      request: {
        params: SettingKeyParam,
        query: z.object({ limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50).openapi({ description: `1..${MAX_PAGE_SIZE}` }) }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(SettingHistoryItem) }), "Changes"), ...problemResponses(404) },
    }),
    async (c) => c.json({ items: await settingHistory(serviceContext(c), c.req.valid("param").key, c.req.valid("query").limit) }, 200),
  );
