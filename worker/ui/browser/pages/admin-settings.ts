/**
 * /ui/admin/settings: every consortium setting with its value in effect, default, version and
 * last change; saved one key at a time with If-Match of the version shown. A 412 means
 * someone else saved first: the row then shows their value and version, and the admin
 * decides again (nothing of theirs is overwritten blindly).
 */
import type { z } from "@hono/zod-openapi";
import type { SettingHistoryItem, SettingView } from "../../../settings/settings.schemas";
import { LABELS } from "../../labels";
import { api, el, networkNotice, notice, problemNotice, replace, time } from "../lib";

type HistoryItem = z.infer<typeof SettingHistoryItem>;

const HELP: Readonly<Record<string, string>> = LABELS.settingHelp;

function show(v: unknown): string {
  if (typeof v === "boolean") return v ? "是（开启）" : "否（关闭）";
  if (v === null || v === undefined) return "—";
  return String(v);
}

function settingValueOf(change: unknown): unknown {
  return typeof change === "object" && change !== null && "value" in change ? change.value : change;
}

/** The input for a key's value: a switch for booleans, a bounded number otherwise. */
function input(s: SettingView): HTMLInputElement {
  const id = `value-${s.key}`;
  if (typeof s.value === "boolean") return el("input", { type: "checkbox", id, checked: s.value, "aria-label": s.label });
  const min = s.schema.minimum;
  const max = s.schema.maximum;
  return el("input", {
    type: "number",
    id,
    value: String(s.value),
    min: typeof min === "number" ? String(min) : undefined,
    max: typeof max === "number" ? String(max) : undefined,
    step: "1",
    inputmode: "numeric",
    "aria-label": s.label,
    "aria-describedby": `help-${s.key}`,
  });
}

function read(node: HTMLInputElement): unknown {
  if (node.type === "checkbox") return node.checked;
  // an empty or non-number field goes to the API as it is: its 400 names the bounds
  return node.value.trim() === "" ? node.value : Number(node.value);
}

export async function settingsView(root: HTMLElement, msg: HTMLElement): Promise<void> {
  const res = await api<{ items: SettingView[] }>("GET", "/settings");
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  const cards = res.body.items.map((s) => settingCard(s, msg));
  replace(root, el("div", { class: "toolbar no-print" }, el("button", { type: "button", text: "打印", onclick: () => print() })), el("div", { class: "settings" }, cards));
}

function settingCard(initial: SettingView, msg: HTMLElement): HTMLElement {
  let s = initial;
  const box = el("section", { class: "card setting", dataset: { key: s.key }, "aria-labelledby": `title-${s.key}` });
  const history = el("div", { class: "setting-history" });
  const status = el("div", { "aria-live": "polite" });

  const render = () => {
    const field = input(s);
    const save = el("button", { type: "submit", class: "primary", text: "保存" });
    const form = el(
      "form",
      { class: "setting-edit no-print" },
      el("label", { class: "inline", for: field.id }, "新值", field),
      typeof s.value === "number" && typeof s.schema.minimum === "number" ? el("span", { class: "small muted", text: `范围 ${s.schema.minimum}–${s.schema.maximum}` }) : null,
      save,
      el("button", { type: "button", class: "link", text: "变更历史", "aria-expanded": "false", onclick: (ev) => toggleHistory(ev) }),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      save.disabled = true;
      void submit(read(field)).finally(() => {
        save.disabled = false;
      });
    });
    replace(
      box,
      el("h2", { id: `title-${s.key}` }, s.label, " ", el("code", { class: "small muted", text: s.key })),
      el("p", { id: `help-${s.key}`, text: HELP[s.key] ?? s.description }),
      el(
        "dl",
        { class: "fields" },
        el("dt", { text: "当前值" }),
        el("dd", { class: "setting-value", dataset: { value: String(s.value) } }, el("strong", { text: show(s.value) }), s.isDefault ? el("span", { class: "badge", text: "国家默认" }) : null),
        el("dt", { text: "国家默认值" }),
        el("dd", { text: show(s.default) }),
        el("dt", { text: "版本" }),
        el("dd", { class: "setting-version", text: String(s.version) }),
        el("dt", { text: "最近修改" }),
        el("dd", { text: s.updatedAt ? `${time(s.updatedAt)} · ${s.updatedBy ?? ""}` : "从未修改" }),
      ),
      form,
      status,
      history,
    );
  };

  const submit = async (value: unknown) => {
    replace(status);
    try {
      const put = await api<SettingView>("PUT", `/settings/${encodeURIComponent(s.key)}`, { json: { value }, headers: { "if-match": `"${s.version}"` } });
      if (put.ok) {
        s = put.body;
        render();
        replace(status, notice("ok", `已保存：${s.label} = ${show(s.value)}（版本 ${s.version}）。`));
        replace(msg);
        return;
      }
      if (put.status !== 412) {
        replace(status, problemNotice(put));
        box.querySelector("input")?.focus();
        return;
      }
      // someone saved first: show what is in effect now and let the admin decide again
      const fresh = await api<SettingView>("GET", `/settings/${encodeURIComponent(s.key)}`);
      if (!fresh.ok) {
        replace(status, problemNotice(fresh));
        return;
      }
      s = fresh.body;
      render();
      replace(
        status,
        notice(
          "warn",
          el("strong", { text: "此设置已被他人修改，您的修改未保存。" }),
          ` 现在的值是 ${show(s.value)}（版本 ${s.version}${s.updatedBy ? `，${s.updatedBy}` : ""}${s.updatedAt ? ` 于 ${time(s.updatedAt)}` : ""}）。您想设为 ${show(value)}；如仍要修改，请确认后再保存。`,
        ),
      );
      box.querySelector("input")?.focus();
    } catch {
      replace(status, networkNotice());
    }
  };

  const toggleHistory = async (ev: MouseEvent) => {
    const button = ev.currentTarget instanceof HTMLButtonElement ? ev.currentTarget : null;
    if (history.childElementCount) {
      replace(history);
      button?.setAttribute("aria-expanded", "false");
      return;
    }
    const res = await api<{ items: HistoryItem[] }>("GET", `/settings/${encodeURIComponent(s.key)}/history`);
    if (!res.ok) {
      replace(history, problemNotice(res));
      return;
    }
    button?.setAttribute("aria-expanded", "true");
    replace(
      history,
      res.body.items.length === 0
        ? el("p", { class: "muted", text: "尚无变更：一直是国家默认值。" })
        : el(
            "table",
            { class: "grid" },
            el("thead", null, el("tr", null, el("th", { text: "时间" }), el("th", { text: "修改人" }), el("th", { text: "原值" }), el("th", { text: "新值" }))),
            el(
              "tbody",
              null,
              res.body.items.map((h) => el("tr", null, el("td", { text: time(h.at) }), el("td", { text: h.actorId }), el("td", { text: show(settingValueOf(h.before)) }), el("td", { text: show(settingValueOf(h.after)) }))),
            ),
          ),
      el("p", null, el("a", { href: `/ui/admin/audit?entityType=consortium_setting&entityId=${encodeURIComponent(s.key)}`, text: "在审计日志中查看" })),
    );
  };

  render();
  return box;
}
