import type { Context } from "hono";
import { html } from "hono/html";
import { ASSET_VERSION } from "./assets";

/*
 * /api/docs: RapiDoc (vendored, MIT; vendor/rapidoc-9.3.8/README.md) rendering the OpenAPI
 * document, both served by this worker, so the docs work on a machine without internet.
 * The policy allows nothing from elsewhere: RapiDoc's one external reference (a web font)
 * is never fetched (load-fonts="false"), and system fonts with Chinese glyphs are named instead. Its shadow-DOM
 * styles need 'unsafe-inline' for styles (no user data is on this page).
 */
const POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const FONTS = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", system-ui, sans-serif';
const MONO = '"Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace';

export function apiDocs(specUrl: string) {
  return (c: Context) => {
    c.header("Content-Security-Policy", POLICY);
    c.header("Cache-Control", "no-store");
    return c.html(html`<!DOCTYPE html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>YaoLian 药联 API 文档</title>
    <link rel="icon" href="data:," />
    <script src="/ui/assets/rapidoc.js?v=${ASSET_VERSION}" defer></script>
  </head>
  <body>
    <rapi-doc
      spec-url="${specUrl}"
      theme="light"
      render-style="focused"
      layout="column"
      show-header="false"
      allow-authentication="true"
      allow-server-selection="false"
      load-fonts="false"
      regular-font="${FONTS}"
      mono-font="${MONO}"
    >
      <noscript>API 文档需要 JavaScript；OpenAPI 文档本身在 <a href="${specUrl}">${specUrl}</a>。</noscript>
    </rapi-doc>
  </body>
</html>`);
  };
}
