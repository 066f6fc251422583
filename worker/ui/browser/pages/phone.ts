/** /ui/dev/phone: the simulated patient handset (development only): the patient's messages as received, newest first. */
import { api, byId, el, networkNotice, notice, problemNotice, replace, time } from "../lib";

interface PhoneMessage {
  id: string;
  orderId: string;
  channel: string;
  state: string;
  at: string;
  text: string;
}

const form = byId("phone-form", HTMLFormElement);
const input = byId("patient-id", HTMLInputElement);
const list = byId("phone-list", HTMLOListElement);
const head = byId("phone-head", HTMLDivElement);
const msg = byId("msg", HTMLDivElement);

function bubble(m: PhoneMessage): HTMLLIElement {
  return el(
    "li",
    { class: "phone-msg", dataset: { id: m.id } },
    el("div", { class: "phone-meta" }, el("span", { text: m.channel === "wechat" ? "微信" : "短信" }), el("span", { text: time(m.at) }), m.state === "pending" ? el("span", { class: "phone-pending", text: "待发送" }) : null),
    el("div", { class: "phone-text", text: m.text }),
  );
}

async function show(patientId: string): Promise<void> {
  replace(msg);
  replace(head, `患者 ${patientId} 的短信`);
  try {
    const res = await api<{ items: PhoneMessage[] }>("GET", `/dev/sms?patientId=${encodeURIComponent(patientId)}`);
    if (!res.ok) {
      replace(list);
      replace(msg, res.status === 404 ? notice("warn", "此环境未启用开发工具（模拟手机仅在开发环境可用）。") : problemNotice(res));
      return;
    }
    replace(list, res.body.items.length ? res.body.items.map(bubble) : el("li", { class: "phone-empty", text: "没有短信" }));
  } catch {
    replace(msg, networkNotice());
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const id = input.value.trim();
  if (!id) return;
  history.replaceState(null, "", `?patientId=${encodeURIComponent(id)}`);
  void show(id);
});

const initial = new URLSearchParams(location.search).get("patientId");
if (initial) {
  input.value = initial;
  void show(initial);
}
