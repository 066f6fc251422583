/**
 * /ui/follow-up (doctors): the morning's work. The search box (focused on load) finds a
 * patient of the consortium by name, pinyin initials, phone or id as the doctor types; the
 * due list shows the doctor's own patients whose long-prescription supply runs out soon or
 * has run out, or who need re-assessment, oldest first, with 续方 one click away.
 */
import {
  api,
  badge,
  byId,
  clear,
  combobox,
  daysLeftNode,
  type DueItem,
  date,
  el,
  type FollowUpReason,
  label,
  networkNotice,
  type Page,
  type PatientHit,
  patientHref,
  patientSearch,
  problemNotice,
  query,
  renewHref,
  replace,
  requireLogin,
  sexAge,
  type Tone,
} from "../lib";

const msg = byId("msg", HTMLDivElement);
const searchBox = byId("patient-q", HTMLInputElement);
const optionsBox = byId("patient-options", HTMLDivElement);
const within = byId("within", HTMLSelectElement);
const dueTable = byId("due", HTMLTableElement);
const dueBody = query("#due tbody", HTMLTableSectionElement);
const dueEmpty = byId("due-empty", HTMLParagraphElement);
const dueCount = byId("due-count", HTMLSpanElement);
const moreBtn = byId("more", HTMLButtonElement);
const dueSection = byId("due-section", HTMLElement);
const dueMsg = byId("due-msg", HTMLDivElement);

// ---------- search as you type ----------
combobox<PatientHit>({
  input: searchBox,
  list: optionsBox,
  idPrefix: "patient-option",
  clearOnEscape: true,
  // the page's message box holds only the search's errors: a search that works clears it
  ...patientSearch(msg, { clearMsg: true }),
  choose(hit) {
    location.href = patientHref(hit.id);
  },
});

// ---------- the due list ----------
const REASON_TONE: Record<FollowUpReason, Tone> = { supply_lapsed: "red", supply_ending: "amber", reassessment_due: "purple" };

function dueRow(d: DueItem): HTMLTableRowElement {
  const last = d.lastLongPrescription;
  return el(
    "tr",
    { dataset: { patient: d.patientId }, class: d.reasons.includes("supply_lapsed") ? "lapsed" : null },
    el("td", null, el("a", { class: "patient-link", href: patientHref(d.patientId), text: d.name }), el("span", { class: "sub", text: sexAge(d) })),
    el(
      "td",
      { class: "reasons" },
      d.reasons.map((r) => badge(label("followUpReason", r), REASON_TONE[r])),
    ),
    el("td", { class: "date" }, daysLeftNode(d.daysLeft), el("span", { class: "sub", text: d.dueOn ? `${date(d.dueOn)} 用完` : "" })),
    el("td", { class: "drugs" }, d.drugs.length ? d.drugs.join("、") : "—"),
    el("td", { class: "small" }, last ? [el("span", { text: date(last.writtenAt) }), el("span", { class: "sub", text: `${last.institutionName} · ${last.days} 天` })] : "—"),
    el(
      "td",
      { class: "row-actions" },
      el("a", { class: "button", href: patientHref(d.patientId), text: "查看", "aria-label": `查看 ${d.name}` }),
      el("a", { class: "button primary", href: renewHref(d.patientId), text: "续方", "aria-label": `为 ${d.name} 续方` }),
    ),
  );
}

let cursor: string | null = null;
let shown = 0;
let loadSeq = 0;

async function loadDue(more: boolean): Promise<void> {
  const mine = ++loadSeq;
  if (!more) {
    cursor = null;
    shown = 0;
  }
  moreBtn.disabled = true;
  dueTable.setAttribute("aria-busy", "true");
  const params = new URLSearchParams({ withinDays: within.value, limit: "50" });
  if (more && cursor) params.set("cursor", cursor);
  try {
    const res = await api<Page<DueItem>>("GET", `/follow-up/due?${params}`);
    if (mine !== loadSeq) return;
    if (!res.ok) {
      replace(dueMsg, problemNotice(res));
      return;
    }
    clear(dueMsg);
    if (!more) clear(dueBody);
    for (const d of res.body.items) dueBody.appendChild(dueRow(d));
    shown += res.body.items.length;
    cursor = res.body.nextCursor;
    dueTable.hidden = shown === 0;
    dueEmpty.hidden = shown > 0;
    dueCount.textContent = shown ? `${shown}${cursor ? "+" : ""} 人` : "";
    moreBtn.hidden = !cursor;
    dueSection.dataset.state = "ready";
  } catch {
    if (mine === loadSeq) replace(dueMsg, networkNotice());
  } finally {
    moreBtn.disabled = false;
    dueTable.removeAttribute("aria-busy");
  }
}

const doctor = requireLogin(msg, ["doctor"]);
if (doctor) {
  // the China date (UTC+8), the one the server counts days left by, whatever the machine's zone
  const china = new Date(Date.now() + 8 * 3600_000);
  byId("today", HTMLParagraphElement).textContent =
    `${doctor.name || doctor.sub} · 今天 ${china.toISOString().slice(0, 10)} 星期${"日一二三四五六"[china.getUTCDay()]}`;
  within.addEventListener("change", () => loadDue(false));
  moreBtn.addEventListener("click", () => loadDue(true));
  searchBox.focus();
  void loadDue(false);
} else {
  searchBox.disabled = true;
  within.disabled = true;
}
