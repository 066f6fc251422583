/**
 * The number of open notices in the doctor's inbox, shown on the header's 我的处方 link on
 * every page a doctor opens (GET /inbox?state=open answers it as `open`, whatever the page size).
 */
import { api } from "./api";
import { principal } from "./session";
import type { InboxPage } from "./types";

export function showInboxCount(open: number): void {
  for (const node of document.querySelectorAll<HTMLElement>("[data-inbox-count]")) {
    node.textContent = open > 0 ? String(open) : "";
    node.title = `${open} 条待办`;
    node.hidden = open <= 0;
  }
}

/** Fills the badge for a signed-in doctor; a failure leaves it empty (it is a hint, the page works without it). */
export async function loadInboxCount(): Promise<void> {
  if (principal()?.role !== "doctor" || !document.querySelector("[data-inbox-count]")) return;
  try {
    const res = await api<InboxPage>("GET", "/inbox?state=open&limit=1");
    if (res.ok) showInboxCount(res.body.open);
  } catch {
    // offline or the server is away: no badge
  }
}
