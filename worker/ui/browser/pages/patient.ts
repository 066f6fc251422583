/**
 * /ui/patients/{id} (doctors, admins): the patient at a glance from one audited read
 * (GET /patients/{id}/overview). Allergies and re-assessment come first because they change
 * what the doctor may write; a prescription of another institution is named, never linked
 * (the API gives its id only to those who may open it).
 */
import {
  api,
  badge,
  byId,
  daysLeftNode,
  daysLeftText,
  date,
  el,
  label,
  networkNotice,
  notice,
  type PatientEventRow,
  type PatientOverview,
  problemNotice,
  replace,
  requireLogin,
  sexAge,
} from "../lib";

const root = byId("patient-page", HTMLDivElement);
const patientId = root.dataset.patientId ?? "";
const msg = byId("msg", HTMLDivElement);
const head = byId("head", HTMLElement);

const event = (e: PatientEventRow) => `${date(e.at)} ${label("eventType", e.type)}`;
const printHref = (id: string) => `/ui/prescriptions/${encodeURIComponent(id)}/print`;
/** A supply bar fills against the 12 weeks a long prescription may cover at most. */
const BAR_DAYS = 84;

function renderHead(o: PatientOverview): void {
  const p = o.patient;
  document.title = `${p.name} · 患者概览 · 药联 YaoLian`;
  byId("patient-name", HTMLHeadingElement).textContent = p.name;
  const doctor = p.familyDoctor;
  replace(
    byId("patient-facts", HTMLParagraphElement),
    el("span", { class: "fact big-fact", text: sexAge(p) }),
    el("span", { class: "fact", text: `出生 ${p.birthDate}` }),
    el("span", { class: "fact", text: p.phone ? `电话 ${p.phone}` : "电话 未登记" }),
    el("span", { class: "fact", text: doctor ? `签约家庭医生 ${doctor.name}（${doctor.institutionName}）` : "签约家庭医生 未登记" }),
    el("span", { class: "fact muted mono", text: p.id }),
  );
  head.removeAttribute("aria-busy");
}

function renderAllergies(o: PatientOverview): void {
  const box = byId("allergies", HTMLElement);
  box.hidden = false;
  box.classList.toggle("has", o.allergies.length > 0);
  replace(
    box,
    o.allergies.length
      ? [
          el("strong", { class: "allergy-title", text: "⚠ 过敏：" }),
          o.allergies.map((a) => el("span", { class: "allergy", text: a.reaction ? `${a.substance}（${a.reaction}）` : a.substance })),
        ]
      : el("span", { class: "muted", text: "无已登记的过敏史" }),
  );
}

/** What stands between the doctor and a plain renewal: supply lapsed or ending, re-assessment due. */
function renderRenewalState(o: PatientOverview): void {
  const box = byId("renewal-state", HTMLElement);
  const parts: HTMLElement[] = [];
  if (o.reassessment.due) {
    parts.push(
      notice(
        "err",
        el("strong", { text: "需重新评估" }),
        `：上次长期处方之后有 ${o.reassessment.triggers.map(event).join("、")}。本次须按首次开具重新评估（首次长期处方须中级及以上职称医师）。`,
      ),
    );
  }
  const r = o.renewal;
  if (r.dueOn) {
    const lapsed = (r.daysLeft ?? 0) < 0;
    parts.push(
      notice(
        lapsed ? "err" : (r.daysLeft ?? 99) <= 14 ? "warn" : "info",
        el("strong", { text: lapsed ? "已断药" : "长期处方药品" }),
        `：${r.dueOn} 用完，${daysLeftText(r.daysLeft)}。`,
      ),
    );
  }
  box.hidden = parts.length === 0;
  replace(box, parts);
}

function renderLast(o: PatientOverview): void {
  const box = byId("last-rx", HTMLDivElement);
  const last = o.lastLongPrescription;
  if (!last) {
    replace(box, el("p", { class: "muted", text: "尚无长期处方。首次长期处方须中级及以上职称医师开具。" }));
    byId("renew", HTMLAnchorElement).hidden = true;
    return;
  }
  replace(
    box,
    el(
      "dl",
      { class: "fields compact-fields" },
      el("dt", { text: "开具" }),
      el("dd", { text: `${date(last.writtenAt)} · ${last.institutionName} · ${last.prescriberName}` }),
      el("dt", { text: "天数" }),
      el("dd", { text: `${last.days} 天，${last.endDate} 用完` }),
      el("dt", { text: "诊断" }),
      el("dd", { text: last.diagnoses.map((d) => (d.name ? `${d.name}（${d.icd10}）` : d.icd10)).join("、") || "—" }),
      el("dt", { text: "药品" }),
      el("dd", { class: "last-drugs", text: last.items.map((i) => i.genericName).join("、") }),
      el("dt", { text: "重新评估" }),
      el("dd", null, o.reassessment.due ? badge(`需重新评估：${o.reassessment.triggers.map(event).join("、")}`, "red") : badge("不需要", "green")),
    ),
    last.prescriptionId ? el("p", { class: "small" }, el("a", { href: printHref(last.prescriptionId), text: "查看处方笺" })) : null,
  );
}

function renderSupply(o: PatientOverview): void {
  const box = byId("supply", HTMLDivElement);
  if (!o.supply.length) {
    const lapsed = o.renewal.dueOn && (o.renewal.daysLeft ?? 0) < 0;
    replace(box, el("p", { class: lapsed ? "lapsed-note" : "muted", text: lapsed ? `目前没有在用药品：长期处方药品已于 ${o.renewal.dueOn} 用完。` : "目前没有在用药品。" }));
    return;
  }
  replace(
    box,
    el(
      "table",
      { class: "grid compact supply" },
      el("thead", null, el("tr", null, el("th", { text: "药品" }), el("th", { text: "开具机构" }), el("th", { text: "用至" }), el("th", { text: "剩余" }))),
      el(
        "tbody",
        null,
        o.supply.map((s) => {
          const fill = Math.max(0, Math.min(100, Math.round((s.daysLeft / BAR_DAYS) * 100)));
          return el(
            "tr",
            { dataset: { code: s.drugCode } },
            el("td", null, el("strong", { text: s.genericName }), el("span", { class: "sub", text: label("kind", s.kind) })),
            el("td", null, s.prescriptionId ? el("a", { href: printHref(s.prescriptionId), text: s.institutionName }) : s.institutionName),
            el("td", { class: "date", text: s.endDate }),
            el(
              "td",
              { class: "left" },
              daysLeftNode(s.daysLeft),
              el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: s.daysLeft <= 7 ? "fill soon" : "fill", dataset: { pct: String(fill) } })),
            ),
          );
        }),
      ),
    ),
  );
  // widths through the CSSOM: the page's CSP allows no inline style attribute
  for (const fill of box.querySelectorAll<HTMLElement>(".bar .fill")) fill.style.width = `${fill.dataset.pct}%`;
}

function renderConditions(o: PatientOverview): void {
  const box = byId("conditions", HTMLDivElement);
  if (!o.conditions.length) {
    replace(box, el("p", { class: "muted", text: "没有登记的诊断。" }));
    return;
  }
  replace(
    box,
    el(
      "table",
      { class: "grid compact conditions" },
      el("thead", null, el("tr", null, el("th", { text: "诊断" }), el("th", { text: "状态" }), el("th", { text: "诊断日期" }), el("th", { text: "诊断医师" }))),
      el(
        "tbody",
        null,
        o.conditions.map((c) =>
          el(
            "tr",
            { dataset: { icd10: c.icd10 } },
            el("td", null, el("strong", { text: c.name }), " ", el("code", { class: "muted", text: c.icd10 })),
            el("td", null, c.chronic ? badge("慢病", "blue") : badge("非慢病", "grey"), badge(label("stable", c.stable), c.stable ? "green" : "red")),
            el("td", { class: "date", text: date(c.diagnosedAt) }),
            el("td", null, c.diagnosedByName ?? c.diagnosedBy, c.diagnosedByInstitutionName ? el("span", { class: "sub", text: c.diagnosedByInstitutionName }) : null),
          ),
        ),
      ),
    ),
  );
}

function renderEvents(o: PatientOverview): void {
  const box = byId("events", HTMLDivElement);
  const triggers = new Set(o.reassessment.triggers.map((t) => t.id));
  replace(
    box,
    o.events.length
      ? el(
          "ul",
          { class: "events" },
          [...o.events]
            .sort((a, b) => b.at.localeCompare(a.at))
            .map((e) => el("li", null, el("span", { class: "date", text: date(e.at) }), " ", label("eventType", e.type), triggers.has(e.id) ? badge("需重新评估", "red") : null)),
        )
      : el("p", { class: "muted", text: "没有住院、新发疾病或治疗未达标记录。" }),
  );
}

async function load(): Promise<void> {
  try {
    const res = await api<PatientOverview>("GET", `/patients/${encodeURIComponent(patientId)}/overview`);
    if (!res.ok) {
      replace(msg, problemNotice(res));
      head.hidden = true;
      return;
    }
    const o = res.body;
    renderHead(o);
    renderAllergies(o);
    renderRenewalState(o);
    renderLast(o);
    renderSupply(o);
    renderConditions(o);
    renderEvents(o);
    root.dataset.state = "ready";
    byId("renew", HTMLAnchorElement).focus();
  } catch {
    replace(msg, networkNotice());
  }
}

const who = requireLogin(msg, ["doctor", "admin"]);
if (who) {
  // 续方 and 新处方 are a doctor's; an admin reads the record only
  if (who.role !== "doctor") for (const id of ["renew", "new-rx"]) byId(id, HTMLAnchorElement).hidden = true;
  void load();
} else head.hidden = true;
