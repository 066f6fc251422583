/**
 * Building DOM from data, text only: values reach the page through textContent, attribute
 * setters and form properties, never through innerHTML, so nothing the API returns is parsed
 * as markup.
 */

/** What el() and replace() accept as children: nodes, text, nothing (skipped) or nested lists. */
export type Child = Node | string | number | null | undefined | false | Child[];

type AttributeValue = string | number | boolean | null | undefined;

/** The properties el() understands; anything else is an attribute (`aria-*` included). */
export interface Props {
  id?: string;
  class?: string | null;
  /** the element's text (textContent) */
  text?: string | number;
  title?: string;
  role?: string;
  type?: string;
  name?: string;
  for?: string;
  placeholder?: string;
  list?: string;
  min?: string;
  max?: string;
  step?: string;
  tabindex?: string;
  inputmode?: string;
  maxlength?: string;
  pattern?: string;
  autocomplete?: string;
  /** an <optgroup>'s label */
  label?: string;
  colspan?: string;
  /** same-site paths only ("/…"); any other value is dropped, so data can never become a javascript: link */
  href?: string;
  /** set as the form property, not the attribute */
  value?: string;
  checked?: boolean;
  disabled?: boolean;
  selected?: boolean;
  hidden?: boolean;
  dataset?: Record<string, string>;
  onclick?: (ev: MouseEvent) => void;
  onmousedown?: (ev: MouseEvent) => void;
  oninput?: (ev: Event) => void;
  onchange?: (ev: Event) => void;
  onkeydown?: (ev: KeyboardEvent) => void;
  [aria: `aria-${string}`]: AttributeValue;
}

const SAFE_HREF = /^\/(?!\/)/;
const FLAGS = ["checked", "disabled", "selected", "hidden"] as const;

function append(node: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(node, c);
    return;
  }
  node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
}

/** A new element: `el("td", { class: "num", text: "12" })`, `el("ul", null, items.map(...))`. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props) {
    const { class: className, text, href, value, dataset, onclick, onmousedown, oninput, onchange, onkeydown, checked, disabled, selected, hidden, ...attributes } = props;
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    if (dataset) Object.assign(node.dataset, dataset);
    if (href !== undefined && SAFE_HREF.test(href)) node.setAttribute("href", href);
    // value and the flags are properties of some element types only (input, select, option, button…)
    if (value !== undefined) Reflect.set(node, "value", value);
    const flags = { checked, disabled, selected, hidden };
    for (const flag of FLAGS) if (flags[flag]) Reflect.set(node, flag, true);
    const attrs: Record<string, AttributeValue> = attributes;
    for (const [name, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      node.setAttribute(name, v === true ? "" : String(v));
    }
    const target: HTMLElement = node; // the event map of HTMLElement types the handlers
    if (onclick) target.addEventListener("click", onclick);
    if (onmousedown) target.addEventListener("mousedown", onmousedown);
    if (oninput) target.addEventListener("input", oninput);
    if (onchange) target.addEventListener("change", onchange);
    if (onkeydown) target.addEventListener("keydown", onkeydown);
  }
  append(node, children);
  return node;
}

export function clear<N extends Node>(node: N): N {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Replaces the node's children. */
export function replace<N extends Node>(node: N, ...children: Child[]): N {
  clear(node);
  append(node, children);
  return node;
}

/** The page's element with this id, of the expected type (fails loudly when the page and its script disagree). */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return node;
}

/** The first element matching the selector, of the expected type. */
export function query<T extends Element>(selector: string, type: new () => T, root: ParentNode = document): T {
  const node = root.querySelector(selector);
  if (!(node instanceof type)) throw new Error(`${selector} is missing or not a ${type.name}`);
  return node;
}

/** Calls fn once the calls have paused for ms milliseconds (search as you type). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
