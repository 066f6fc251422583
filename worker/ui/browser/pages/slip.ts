/** /ui/desk/orders/{id}/slip: the pickup slip for the patient: where, which order, how to check its status. Never the pickup code. */
import { el, replace } from "../lib";
import { chinaToday, groupedReference, line, loadPrintData, type PrintData } from "./print-order";

function slip({ order, pharmacyName, pharmacyHours }: PrintData): HTMLElement {
  const statusUrl = `${location.origin}/ui/status`;
  return el(
    "section",
    { class: "sheet slip" },
    el("div", { class: "slip-title", text: "取药凭条" }),
    el("div", { class: "slip-pharmacy", text: pharmacyName }),
    pharmacyHours ? line("营业时间", pharmacyHours) : null,
    order.pickupSite ? [line("取药点", order.pickupSite.name, "big"), line("地址", order.pickupSite.address)] : line("配送", "送药上门"),
    line("订单号", groupedReference(order.reference), "big mono"),
    line("分次", `第 ${order.instalment} 次，共 ${order.instalments} 次`),
    line("日期", chinaToday()),
    el("div", { class: "slip-note", text: "凭短信取药码取药" }),
    el("div", { class: "slip-help" }, "查询取药进度：打开 ", el("span", { class: "mono", text: statusUrl }), "，输入订单号和手机号后四位。"),
  );
}

void loadPrintData().then((loaded) => {
  if (loaded) replace(loaded.sheets, slip(loaded.data));
});
