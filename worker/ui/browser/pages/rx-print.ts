/**
 * /ui/prescriptions/{id}/print: the A5 处方笺 of a signed prescription, laid out as 处方管理办法
 * 附件1 (处方标准) asks: 前记 (institution, No., date, patient, age, ID, diagnosis), 正文 (Rp with
 * each item and its use in words), 后记 (prescriber with title and a signature line, the
 * pharmacists' 审核/调配/核对/发药 boxes left for their signatures, amount), the kind marked in
 * the corner, and a QR code carrying the signed payload that /ui/verify checks offline.
 *
 * The QR is drawn here by the qrcode library into a PNG <img> (a raster, so a PDF or a printer
 * gets an image, not hundreds of tiny vector squares), error correction M.
 */
import QRCode from "qrcode";
import { doseInWords, frequencyWords, quantityText, strengthText } from "../../dose-words";
import { api, byId, el, label, networkNotice, problemNotice, replace, requireLogin } from "../lib";
import type { PrescriptionPrint } from "../lib";
import { chinaDate, cornerMark } from "./rx-text";

const sheets = byId("sheets", HTMLDivElement);
const msg = byId("msg", HTMLDivElement);
const printButton = byId("print", HTMLButtonElement);

/** A caption and its value on a rule; `cls` styles the field (rx-wide: takes the row), `valueCls` the value only (mono for ids). */
function field(caption: string, value: string, cls = "", valueCls = ""): HTMLSpanElement {
  return el("span", { class: `rx-field ${cls}` }, el("span", { class: "rx-cap", text: caption }), el("span", { class: `rx-val ${valueCls}`, text: value || " " }));
}

/** "口服，每日两次，每次 1 片，共 84 天" — the words a patient and a pharmacist read alike. */
function usage(item: PrescriptionPrint["items"][number]): string {
  return [item.route ? label("route", item.route) : null, frequencyWords(item.frequency), doseInWords(item.dose, item), `${item.days} 天`].filter(Boolean).join("，");
}

function itemLine(item: PrescriptionPrint["items"][number], index: number): HTMLLIElement {
  return el(
    "li",
    { dataset: { code: item.drugCode, index: String(index) } },
    el(
      "div",
      { class: "rx-drug" },
      el("span", { class: "rx-name", text: item.genericName ?? item.drugCode }),
      item.form ? el("span", { class: "rx-form", text: item.form }) : null,
      el("span", { class: "rx-strength", text: strengthText(item.strength) }),
      el("span", { class: "rx-qty", text: `× ${quantityText(item.packages, item.pack)}` }),
    ),
    el("div", { class: "rx-usage" }, el("span", { class: "rx-sig", text: "用法：" }), usage(item)),
  );
}

async function qrImage(payload: string): Promise<HTMLImageElement> {
  // 4 modules of quiet zone (the standard's minimum), 6 px a module: crisp when the PDF scales it to 38 mm
  const src = await QRCode.toDataURL(payload, { errorCorrectionLevel: "M", margin: 4, scale: 6, color: { dark: "#000000", light: "#ffffff" } });
  const img = el("img", { class: "rx-qr-img" });
  img.alt = "处方验真二维码";
  img.src = src;
  await img.decode();
  return img;
}

async function sheet(rx: PrescriptionPrint): Promise<HTMLElement> {
  const mark = cornerMark(rx.kind, rx.patient.age);
  const diagnoses = rx.diagnoses.map((d) => (d.name ? `${d.name}（${d.icd10}）` : d.icd10)).join("；");
  return el(
    "section",
    { class: `rx-sheet rx-${mark}`, dataset: { id: rx.id, mark } },
    el("div", { class: "rx-corner", text: label("rxCorner", mark) }),
    el("header", { class: "rx-head" }, el("div", { class: "rx-inst", text: rx.institution.name }), el("div", { class: "rx-title", text: "处 方 笺" })),
    el("div", { class: "rx-row rx-no" }, field("No.", rx.id, "", "mono"), field("开具日期", chinaDate(rx.writtenAt))),
    el(
      "div",
      { class: "rx-row rx-patient" },
      field("姓名", rx.patient.name, "rx-patient-name"),
      field("性别", label("gender", rx.patient.gender)),
      field("年龄", rx.patient.age),
      field("门诊/ID", rx.patient.id, "", "mono"),
    ),
    el("div", { class: "rx-row" }, field("临床诊断", diagnoses, "rx-wide")),
    el(
      "div",
      { class: "rx-body" },
      el("div", { class: "rx-rp", text: "Rp" }),
      el("ol", { class: "rx-items" }, rx.items.map(itemLine)),
      el("div", { class: "rx-blank", text: "（以下空白）" }),
      rx.extendedReason ? el("p", { class: "rx-note" }, el("span", { class: "rx-cap", text: "延长用量理由：" }), rx.extendedReason) : null,
      rx.longTerm
        ? el(
            "p",
            { class: "rx-note" },
            el("span", { class: "rx-cap", text: rx.longTerm.firstIssue ? "长期处方（首次）评估：" : "长期处方（续方）评估：" }),
            rx.longTerm.assessment || "—",
            rx.longTerm.patientConfirmed ? "（患者已确认）" : "",
          )
        : null,
    ),
    el(
      "footer",
      { class: "rx-foot" },
      el(
        "div",
        { class: "rx-sign" },
        el("div", { class: "rx-row" }, field("医师", `${rx.prescriber.name}（${label("title", rx.prescriber.title)}）`), field("签名", "", "rx-line")),
        el("div", { class: "rx-row" }, field("金额", "", "rx-line")),
        el(
          "table",
          { class: "rx-pharmacists" },
          el("tbody", null, el("tr", null, ["审核", "调配", "核对", "发药"].map((who) => [el("th", { text: who }), el("td", { text: "" })]))),
        ),
        el("div", { class: "rx-small", text: `处方当日有效 · 签名摘要 ${rx.contentHash.slice(0, 16)} · 目录版本 ${rx.formularyVersion}` }),
      ),
      el("figure", { class: "rx-qr" }, await qrImage(rx.qr), el("figcaption", { text: "扫码验真" })),
    ),
  );
}

async function load(): Promise<void> {
  printButton.addEventListener("click", () => window.print());
  if (!requireLogin(msg)) return;
  const id = sheets.dataset.id ?? "";
  try {
    const res = await api<PrescriptionPrint>("GET", `/prescriptions/${encodeURIComponent(id)}/print`);
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    replace(sheets, await sheet(res.body));
    printButton.disabled = false;
    sheets.dataset.state = "ready";
    printButton.focus();
  } catch {
    replace(msg, networkNotice());
  }
}

void load();
