/**
 * The shared browser API of the pages under /ui. Page scripts import from here:
 *
 *   import { api, el, problemNotice, replace, requireLogin } from "../lib";
 *
 * - DOM: `el(tag, props, ...children)` builds an element (text via `text`, attributes,
 *   `dataset`, `on<event>` handlers; same-site `href` only); `replace(node, ...children)`,
 *   `clear(node)`; `byId(id, HTMLInputElement)` / `query(selector, type)` find the page's
 *   elements with their type. Data reaches the DOM only as text, attributes or form values,
 *   never as HTML: the pages run under `script-src 'self'` and no innerHTML.
 * - API: `api<T>(method, path, { json | body, headers, signal })` → `{ ok, status, body }`
 *   (ok: body is T; not ok: body is the problem+json or null); `problemNotice(res)`,
 *   `networkNotice()` (fetch threw), `notice(tone, ...children)`.
 * - Session: `requireLogin(msgNode, roles?)` shows "please sign in" (or "for doctors only")
 *   in msgNode and returns null, else the `principal()` {sub, role, org, name}.
 * - Text: `label(group, value)` from the one label table (worker/ui/labels.ts, also used by
 *   the server-rendered pages), `time(iso)`, `date(iso)`, `qty`, `pack`, entry fields, badges.
 *
 * A new page (say the pharmacy desk):
 * 1. the server page `worker/ui/pages/desk.tsx` renders `<Layout script="desk" …>` with the
 *    element ids the script needs, and ui.routes.tsx mounts it;
 * 2. the script `worker/ui/browser/pages/desk.ts` imports from "../lib" and runs at load
 *    (it is bundled as an IIFE, loaded with `defer`);
 * 3. "desk" is added to PAGES in scripts/build-ui.ts, which bundles it to /ui/assets/desk.js;
 *    the PageScript type in worker/ui/assets.ts follows from the generated bundle list.
 * `npm run build:ui` (run by npm test, npm start, build and bench) regenerates the bundles.
 */
export { type ApiOptions, type ApiResult, api, type Method, uuid } from "./api";
export { badge, flags, statusBadge, type Tone } from "./badges";
export { type ComboboxOptions, combobox } from "./combobox";
export { byId, type Child, clear, debounce, el, type Props, query, replace } from "./dom";
export { date, ENTRY_FIELDS, type EntryField, entryHref, fieldLabel, fieldText, type LabelGroup, label, minutesText, pack, qty, time } from "./format";
export { type NoticeTone, networkNotice, notice, problemNotice, requireLogin } from "./notices";
export { daysLeftNode, daysLeftText, patientHref, patientSearch, renewHref, sexAge } from "./patients";
export { loginHref, type Principal, principal, type Role, signIn, signOut, token } from "./session";
export { renderWho } from "./shell";
export type * from "./types";
export { pagedSearch } from "./search";
