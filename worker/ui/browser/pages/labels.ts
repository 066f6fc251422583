/** /ui/desk/orders/{id}/labels: one dispensing label per item of the order, large text, for a 58 or 80 mm roll. */
import { doseInWords, frequencyWords, quantityText, strengthText } from "../../dose-words";
import { el, notice, replace } from "../lib";
import { chinaToday, line, loadPrintData, type PrintData } from "./print-order";

function labels({ order, pharmacyName }: PrintData): HTMLElement[] {
  const content = order.prescription.content?.items ?? [];
  const today = chinaToday();
  return order.items.map((item, index) => {
    const rx = content.find((c) => c.drugCode === item.drugCode);
    const drug = [rx?.genericName ?? item.genericName, rx?.form ?? "", strengthText(rx?.strength ?? null)].filter(Boolean).join(" ");
    return el(
      "section",
      { class: "sheet label", dataset: { index: String(index) } },
      el("div", { class: "label-patient", text: order.patient?.name ?? "（患者）" }),
      el("div", { class: "label-drug", text: drug }),
      rx
        ? el("div", { class: "label-dose" }, el("span", { text: frequencyWords(rx.frequency) }), el("span", { text: doseInWords(rx.dose, rx) }))
        : el("div", { class: "label-dose", text: "用法用量见处方" }),
      line("用药天数", `${order.days} 天`),
      line("数量", quantityText(item.packages, rx?.pack ?? null)),
      el("div", { class: "label-foot" }, el("span", { text: pharmacyName }), el("span", { text: today })),
    );
  });
}

void loadPrintData().then((loaded) => {
  if (!loaded) return;
  const sheets = labels(loaded.data);
  replace(loaded.sheets, sheets.length ? sheets : notice("warn", "此订单没有药品。"));
});
