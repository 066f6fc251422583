/**
 * /ui/verify (处方验真): checks a printed prescription's QR payload with verifyQrPayload
 * (signing/qr-payload.ts, the same module the worker signs with) against the public keys the
 * server embedded in the page. No request leaves the page for a check, so it keeps working
 * offline once loaded. Built for a keyboard-wedge scanner: the field has focus, the scanner
 * types the payload and Enter; the text stays selected so the next scan replaces it.
 */
import { frequencyWords } from "../../dose-words";
import { COMMON_DIAGNOSES, LABELS } from "../../labels";
import { type QrFields, type QrPublicJwk, verifyQrPayload } from "../../../signing/qr-payload";
import { byId, el, label, notice, replace } from "../lib";
import { chinaDateTime, daysAgo } from "./rx-text";

const root = byId("verify", HTMLDivElement);
const form = byId("verify-form", HTMLFormElement);
const input = byId("payload", HTMLInputElement);
const msg = byId("msg", HTMLDivElement);
const result = byId("result", HTMLDivElement);
const summary = byId("summary", HTMLDivElement);

function readKeys(): QrPublicJwk[] {
  try {
    const parsed: unknown = JSON.parse(root.dataset.keys ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((k): k is QrPublicJwk => typeof k === "object" && k !== null) : [];
  } catch {
    return [];
  }
}

const keys = readKeys();
/** the text the verdict on screen belongs to */
let checked = "";
const diagnosisNames = new Map(COMMON_DIAGNOSES.map((d) => [d.icd10, d.name]));
const GENDER: Record<QrFields["p"][1], string> = { F: LABELS.gender.female, M: LABELS.gender.male };

function row(caption: string, ...value: (Node | string)[]): HTMLDivElement {
  return el("div", { class: "verify-row" }, el("span", { class: "verify-cap", text: caption }), el("span", { class: "verify-val" }, ...value));
}

/** The payload's "5mg bid" as the paper says it: "每次 5mg，每日两次" (an unknown frequency stays as written). */
function dosageWords(dosage: string): string {
  const cut = dosage.lastIndexOf(" ");
  const code = dosage.slice(cut + 1);
  if (cut < 0 || !Object.hasOwn(LABELS.frequency, code)) return dosage;
  return `每次 ${dosage.slice(0, cut)}，${frequencyWords(code)}`;
}

function when(w: string): string {
  const ago = daysAgo(w);
  return `${chinaDateTime(w)}（${ago <= 0 ? "今天" : `${ago} 天前`}）`;
}

/** What the code says, laid out in the order of the paper, to compare line by line. */
function fieldsView(f: QrFields): HTMLElement {
  return el(
    "section",
    { class: "card verify-fields" },
    el("h2", { text: "二维码中的处方，请与纸质处方逐项核对" }),
    row("医疗机构", el("strong", { text: f.o })),
    row("处方类别", label("kind", f.k)),
    row("开具时间", when(f.w)),
    row("患者", el("strong", { text: f.p[0] }), `　${GENDER[f.p[1]]}　${f.p[2]}`),
    row("临床诊断", f.x.map((code) => (diagnosisNames.has(code) ? `${diagnosisNames.get(code)}（${code}）` : code)).join("；") || "—"),
    row(
      "Rp",
      el(
        "ol",
        { class: "verify-items" },
        f.r.map(([name, strength, packages, dosage]) => el("li", null, el("strong", { text: name }), ` ${strength}，数量 ${packages}`, el("span", { class: "sub", text: `　${dosageWords(dosage)}` }))),
      ),
    ),
    row("医师", el("strong", { text: f.d })),
    row("处方编号", el("span", { class: "mono", text: f.id })),
    row("签名摘要", el("span", { class: "mono", text: f.h })),
    el("p", { class: "small muted", text: "验真只说明这张处方由本平台签发、内容未被改动；是否已取消、已取药，以药房系统为准。" }),
  );
}

async function check(): Promise<void> {
  const text = input.value.trim();
  if (!text) {
    replace(result);
    replace(summary);
    return;
  }
  if (!globalThis.crypto?.subtle) {
    // WebCrypto exists only in secure contexts: https, or this machine's own address
    replace(msg, notice("err", "此浏览器在当前地址下不能验签：请通过 https 地址打开本页。"));
    return;
  }
  const outcome = await verifyQrPayload(text, keys);
  checked = input.value;
  root.dataset.valid = String(outcome.valid);
  if (outcome.valid && outcome.fields) {
    replace(result, el("div", { class: "verdict good" }, el("span", { class: "verdict-word", text: "有效" }), el("span", { class: "verdict-why", text: "签名正确，由本平台签发，内容未被改动。" })));
    replace(summary, fieldsView(outcome.fields));
  } else {
    replace(
      result,
      el(
        "div",
        { class: "verdict bad" },
        el("span", { class: "verdict-word", text: "无效" }),
        el("span", { class: "verdict-why", text: label("qrFailure", outcome.reason ?? "malformed") }),
      ),
    );
    // an unverified code's claims are not shown: nobody should compare the paper with a forgery's text
    replace(summary, el("p", { class: "verify-advice", text: "请勿按此处方发药，联系开方医生或医疗机构核实。" }));
  }
  input.select();
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  void check();
});
// a pasted payload is checked at once (the Enter a scanner sends comes through submit)
input.addEventListener("paste", () => setTimeout(() => void check(), 0));
input.addEventListener("input", () => {
  // a verdict stands only beside the text it was given: typing (or the next scan) clears it until Enter
  if (input.value !== checked) {
    replace(result);
    replace(summary);
    delete root.dataset.valid;
  }
});
if (keys.length === 0) replace(msg, notice("err", "页面未带验签公钥，无法验证。请刷新本页。"));
input.focus();
root.dataset.state = "ready";
