/** The search behind a search-as-you-type combobox, over one of the API's paged list routes. */
import { api } from "./api";
import { clear, replace } from "./dom";
import { networkNotice, problemNotice } from "./notices";
import type { Page } from "./types";

/**
 * The first page of `path(q)`'s items, or null with the reason shown in `msg` (a network
 * error or the API's problem). `clearMsg`: a later search that succeeds clears `msg` again,
 * for a page whose message box holds nothing but the search's own errors.
 */
export function pagedSearch<T>(msg: HTMLElement, path: (q: string) => string, opts: { clearMsg?: boolean } = {}): (q: string) => Promise<T[] | null> {
  return async (q) => {
    const res = await api<Page<T>>("GET", path(q)).catch(() => null);
    if (!res) {
      replace(msg, networkNotice());
      return null;
    }
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return null;
    }
    if (opts.clearMsg) clear(msg);
    return res.body.items;
  };
}
