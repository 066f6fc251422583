/**
 * The console's forms: fields described as data, built with labels, read back as the JSON
 * body the API expects, and problem+json `issues` shown next to the field they name (a body
 * issue's path starts with the field's name: "specialties", "a.atcPrefix").
 */
import { type ApiResult, type Child, el, notice, problemNotice, replace } from "../lib";

export interface Option {
  value: string;
  text: string;
}

interface FieldBase {
  /** the body key; a dotted name nests ("a.atcPrefix" → { a: { atcPrefix } }) */
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  /** shown, not editable (an id once created) */
  readonly?: boolean;
  /** "" and [] are left out of the body instead of being sent */
  omitEmpty?: boolean;
  /** sent as null when emptied (a PATCH that clears a value) */
  nullWhenEmpty?: boolean;
  wide?: boolean;
}
export type Field =
  | (FieldBase & { kind: "text" | "password" | "url"; maxlength?: number; placeholder?: string })
  | (FieldBase & { kind: "textarea"; placeholder?: string })
  | (FieldBase & { kind: "lines"; placeholder?: string })
  | (FieldBase & { kind: "select"; options: readonly Option[] })
  | (FieldBase & { kind: "checks"; options: readonly Option[] });

export type Values = Record<string, string | string[] | undefined>;

export interface FormHandle {
  form: HTMLFormElement;
  /** the body from the fields; with `initial`, only the fields that differ from it (a PATCH) */
  body(initial?: Values): Record<string, unknown>;
  showProblem(res: ApiResult<unknown>): void;
  clearErrors(): void;
  focusFirst(): void;
}

let uid = 0;

/**
 * zod's English messages for the common cases, in Chinese; anything else (the API's own
 * wording, e.g. a regex's description) is shown as it comes, the original kept as a tooltip.
 */
const MESSAGES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Too small: expected string to have >=1 characters?$/, () => "必填"],
  [/^Too small: expected string to have >=(\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  [/^Too big: expected string to have <=(\d+) characters$/, (m) => `最多 ${m[1]} 个字符`],
  [/^Too small: expected number to be >=(\S+)$/, (m) => `不能小于 ${m[1]}`],
  [/^Too big: expected number to be <=(\S+)$/, (m) => `不能大于 ${m[1]}`],
  [/^Invalid option/, () => "请从列表中选择"],
  [/^Invalid input: expected (\w+), received undefined$/, () => "必填"],
  [/^Invalid URL$/, () => "不是有效的网址"],
  [/^at least one specialty/, () => "至少选择一个专科（都不合适时选“其他”）"],
  [/^letters, digits, '\.', '_' or '-', at most 64$/, () => "只可用字母、数字、. _ -，最多 64 位，且以字母或数字开头"],
  [/^give an atcPrefix, a name or both$/, () => "请填写通用名或 ATC 前缀（或两者）"],
  [/^nothing to change$/, () => "没有修改"],
];

export function messageZh(message: string): string {
  for (const [pattern, text] of MESSAGES) {
    const m = pattern.exec(message);
    if (m) return text(m);
  }
  return message;
}

function control(f: Field, id: string, value: string | string[] | undefined): HTMLElement {
  const common = { id, name: f.name, "aria-describedby": `${id}-err${f.hint ? ` ${id}-hint` : ""}` };
  const text = typeof value === "string" ? value : Array.isArray(value) ? value.join("\n") : "";
  switch (f.kind) {
    case "select":
      return el(
        "select",
        { ...common, "aria-required": f.required ? "true" : undefined, disabled: f.readonly },
        f.required ? null : el("option", { value: "", text: "—" }),
        f.options.map((o) => el("option", { value: o.value, text: o.text, selected: o.value === text })),
      );
    case "checks":
      return el(
        "div",
        { class: "checks", role: "group", "aria-label": f.label, id },
        f.options.map((o) =>
          el("label", { class: "inline" }, el("input", { type: "checkbox", name: f.name, value: o.value, checked: Array.isArray(value) && value.includes(o.value) }), o.text),
        ),
      );
    case "textarea":
    case "lines":
      return el("textarea", { ...common, placeholder: f.placeholder, value: text, "aria-required": f.required ? "true" : undefined });
    default:
      return el("input", {
        ...common,
        type: f.kind === "password" ? "password" : f.kind === "url" ? "url" : "text",
        value: text,
        maxlength: f.maxlength ? String(f.maxlength) : undefined,
        placeholder: f.placeholder,
        autocomplete: "off",
        "aria-required": f.required ? "true" : undefined,
        disabled: f.readonly,
      });
  }
}

function readField(form: HTMLFormElement, f: Field): string | string[] {
  if (f.kind === "checks") {
    return Array.from(form.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${f.name}"]`))
      .filter((i) => i.checked)
      .map((i) => i.value);
  }
  const node = form.elements.namedItem(f.name);
  const raw = node instanceof HTMLInputElement || node instanceof HTMLSelectElement || node instanceof HTMLTextAreaElement ? node.value : "";
  if (f.kind === "lines") {
    return raw
      .split(/[\n,，、]/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return raw.trim();
}

const same = (a: string | string[] | undefined, b: string | string[] | undefined) => JSON.stringify(a ?? "") === JSON.stringify(b ?? "");

function setPath(target: Record<string, unknown>, name: string, value: unknown): void {
  const [head, ...rest] = name.split(".");
  if (!head) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const inner = target[head];
  const child: Record<string, unknown> = typeof inner === "object" && inner !== null ? { ...inner } : {};
  setPath(child, rest.join("."), value);
  target[head] = child;
}

/**
 * A form of `fields` with a submit button; `onSubmit` gets the handle (it calls the API and
 * shows its problem with `showProblem`). Enter submits, Escape calls onCancel when given.
 */
export function buildForm(opts: {
  legend: string;
  fields: readonly Field[];
  values?: Values;
  submitText: string;
  onSubmit: (h: FormHandle) => Promise<void>;
  onCancel?: () => void;
}): FormHandle {
  const prefix = `f${++uid}`;
  const errors = new Map<string, HTMLElement>();
  const general = el("div", { "aria-live": "polite" });
  const submit = el("button", { type: "submit", class: "primary", text: opts.submitText });
  const rows: Child[] = opts.fields.map((f) => {
    const id = `${prefix}-${f.name.replace(/\W/g, "-")}`;
    const err = el("span", { class: "field-msg", id: `${id}-err`, role: "alert" });
    errors.set(f.name, err);
    return el(
      "div",
      { class: `form-field${f.wide || f.kind === "checks" || f.kind === "textarea" || f.kind === "lines" ? " wide" : ""}`, dataset: { field: f.name } },
      el("label", { for: f.kind === "checks" ? undefined : id, text: `${f.label}${f.required ? " *" : ""}` }),
      control(f, id, opts.values?.[f.name]),
      f.hint ? el("span", { class: "small muted", id: `${id}-hint`, text: f.hint }) : null,
      err,
    );
  });
  const form = el(
    "form",
    { class: "admin-form card" },
    el("h2", { class: "form-title", text: opts.legend }),
    el("div", { class: "form-grid" }, rows),
    general,
    el("div", { class: "actions" }, submit, opts.onCancel ? el("button", { type: "button", text: "取消", onclick: () => opts.onCancel?.() }) : null),
  );

  // the API validates (and says why in Chinese-labelled issues); the browser's own bubbles would disagree with it
  form.noValidate = true;
  const handle: FormHandle = {
    form,
    body(initial) {
      const out: Record<string, unknown> = {};
      for (const f of opts.fields) {
        if (f.readonly) continue;
        const v = readField(form, f);
        if (initial && same(v, initial[f.name])) continue;
        const empty = v === "" || (Array.isArray(v) && v.length === 0 && f.kind !== "checks");
        if (empty && f.nullWhenEmpty) setPath(out, f.name, null);
        else if (empty && (f.omitEmpty || initial)) continue;
        else setPath(out, f.name, v);
      }
      return out;
    },
    clearErrors() {
      replace(general);
      for (const [name, node] of errors) {
        replace(node);
        form.querySelector(`[data-field="${name}"]`)?.classList.remove("invalid");
      }
    },
    showProblem(res) {
      handle.clearErrors();
      const issues = res.ok ? [] : (res.body?.issues ?? []);
      const unplaced: typeof issues = [];
      for (const issue of issues) {
        // the longest field name the issue's path starts with ("a.name" before "a")
        const field = [...errors.keys()].sort((x, y) => y.length - x.length).find((n) => issue.path === n || issue.path?.startsWith(`${n}.`));
        const node = field ? errors.get(field) : undefined;
        if (!field || !node) {
          unplaced.push(issue);
          continue;
        }
        const text = messageZh(issue.message);
        node.textContent = node.textContent ? `${node.textContent}；${text}` : text;
        node.title = node.title ? `${node.title}; ${issue.message}` : issue.message;
        form.querySelector(`[data-field="${field}"]`)?.classList.add("invalid");
      }
      // every issue at its field: one plain sentence is enough above the buttons
      if (res.status === 400 && issues.length > 0 && unplaced.length === 0) replace(general, notice("err", "请修正标红的字段后再提交。"));
      else replace(general, problemNotice({ status: res.status, body: res.body ? { ...res.body, issues: unplaced.map((i) => ({ ...i, message: messageZh(i.message) })) } : null }));
      handle.focusFirst();
    },
    focusFirst() {
      const target = form.querySelector<HTMLElement>(".invalid input, .invalid select, .invalid textarea") ?? form.querySelector<HTMLElement>("input:not(:disabled), select:not(:disabled), textarea");
      target?.focus();
    },
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    handle.clearErrors();
    opts.onSubmit(handle).finally(() => {
      submit.disabled = false;
    });
  });
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && opts.onCancel) opts.onCancel();
  });
  return handle;
}

/** A one-line success notice. */
export const done = (text: string) => notice("ok", text);
