// The floor: the cheapest request that still does what a drug lookup must do, one
// single-row D1 read by primary key, returned as JSON. No auth, no validation, no ORM.
// The app's GET /api/v1/formulary/drugs/{code} and search are compared against it.
export default {
  async fetch(request, env) {
    // the same Server-Timing as the app's (worker/http/server-timing.ts), so both are split alike
    const start = Date.now();
    const res = await lookup(request, env);
    res.headers.append("Server-Timing", `app;dur=${Date.now() - start}, start;desc=${start}`);
    return res;
  },
};

async function lookup(request, env) {
  const code = new URL(request.url).searchParams.get("code");
  if (!code) return new Response('{"error":"?code= is required"}', { status: 400, headers: { "content-type": "application/json" } });
  const row = await env.DB.prepare("SELECT * FROM formulary_entries WHERE code = ?").bind(code).first();
  return new Response(JSON.stringify(row), { status: row ? 200 : 404, headers: { "content-type": "application/json" } });
}
