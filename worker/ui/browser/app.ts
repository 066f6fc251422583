/** /ui/assets/app.js, loaded by every page before its own script: the header (who is signed in, role links, a doctor's open inbox count). */
import { renderWho } from "./lib";
import { loadInboxCount } from "./lib/inbox";

renderWho();
void loadInboxCount();
