/** /ui/assets/app.js, loaded by every page before its own script: the header (who is signed in, role links). */
import { renderWho } from "./lib";

renderWho();
