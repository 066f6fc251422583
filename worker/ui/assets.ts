import { COMMON_JS } from "./client/common";
import { ENTRY_JS } from "./client/entry";
import { FORMULARY_JS } from "./client/formulary";
import { IMPORT_JS } from "./client/import";
import { LOGIN_JS } from "./client/login";
import { PRESCRIBE_JS } from "./client/prescribe";
import { DOSES_PER_DAY, LABELS } from "./labels";
import { STYLES } from "./client/styles";

const JS = "text/javascript; charset=utf-8";

/** Everything the pages load besides their HTML, served by the worker itself (no CDN). */
export const ASSETS: Record<string, { type: string; body: string }> = {
  "app.css": { type: "text/css; charset=utf-8", body: STYLES },
  // The labels travel as JSON data in front of the shared script, so server and browser name things alike.
  "app.js": { type: JS, body: `window.YL_DATA = ${JSON.stringify({ labels: LABELS, dosesPerDay: DOSES_PER_DAY })};\n${COMMON_JS}` },
  "login.js": { type: JS, body: LOGIN_JS },
  "formulary.js": { type: JS, body: FORMULARY_JS },
  "entry.js": { type: JS, body: ENTRY_JS },
  "import.js": { type: JS, body: IMPORT_JS },
  "prescribe.js": { type: JS, body: PRESCRIBE_JS },
};

export type PageScript = "login" | "formulary" | "entry" | "import" | "prescribe";

/** A short content hash for cache-busting asset URLs (FNV-1a over the assets). */
export const ASSET_VERSION = (() => {
  let h = 0x811c9dc5;
  for (const { body } of Object.values(ASSETS)) {
    for (let i = 0; i < body.length; i++) {
      h ^= body.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(36);
})();
