/**
 * A search-as-you-type combobox (WAI-ARIA combobox + listbox): the doctor types, the list
 * shows what the search found, ↑/↓ move, Enter chooses, Esc closes, a click chooses. An
 * answer that arrives after a later keystroke is dropped, so the list always matches the
 * text in the box. Used by the follow-up patient search and the prescribe drug picker.
 */
import { type Child, debounce, el, replace } from "./dom";

export interface ComboboxOptions<T> {
  input: HTMLInputElement;
  list: HTMLElement;
  /** prefix of the options' ids (aria-activedescendant) */
  idPrefix: string;
  /** the items for the text; null when there is nothing to list (the caller said why) */
  search(q: string): Promise<T[] | null>;
  /** an option's content and its data-* attributes */
  option(item: T): { content: Child[]; dataset: Record<string, string> };
  /** the line shown when the search found nothing */
  empty(q: string): string;
  choose(item: T): void;
  /** Esc also empties the box (a search field), rather than only closing the list */
  clearOnEscape?: boolean;
}

export function combobox<T>(o: ComboboxOptions<T>): { close(): void } {
  const { input, list } = o;
  let items: T[] = [];
  let active = -1;
  let seq = 0;

  function close(): void {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(i: number): void {
    active = i;
    [...list.children].forEach((option, j) => {
      option.classList.toggle("active", j === i);
      option.setAttribute("aria-selected", String(j === i));
    });
    if (i >= 0) input.setAttribute("aria-activedescendant", `${o.idPrefix}-${i}`);
    else input.removeAttribute("aria-activedescendant");
  }

  function optionNode(item: T, i: number): HTMLElement {
    const { content, dataset } = o.option(item);
    const onmousedown = (ev: MouseEvent) => {
      ev.preventDefault(); // keep the focus in the box
      o.choose(item);
    };
    return el("div", { role: "option", id: `${o.idPrefix}-${i}`, dataset, "aria-selected": "false", onmousedown }, ...content);
  }

  const search = debounce(async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      close();
      return;
    }
    const found = await o.search(q);
    if (mine !== seq) return; // a later keystroke has its own answer coming
    if (found === null) return;
    items = found;
    replace(list, items.length ? items.map(optionNode) : el("div", { class: "empty muted", text: o.empty(q) }));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(items.length ? 0 : -1);
  }, 200);

  input.addEventListener("input", search);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && (o.clearOnEscape || !list.hidden)) {
      ev.preventDefault();
      if (o.clearOnEscape) input.value = "";
      ++seq; // an answer still on its way must not reopen the list
      close();
      return;
    }
    if (list.hidden) return;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      highlight(Math.min(active + 1, items.length - 1));
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      const item = items[active];
      if (item) o.choose(item);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return { close };
}
