/**
 * Labels of returns and pickup-site changes, pure (the server's pages and the browser code
 * read the same table). The desk returns an order with one of DESK_RETURN_REASONS; the
 * platform records the SYSTEM_RETURN_REASONS itself when an external pharmacy refuses an
 * order or reports it cannot fulfil it, or a pickup moves to another pharmacy's window.
 * An order's `returnReason` is `<code>` or `<code>: <free text>`, so a page can label it
 * by its code.
 */

export const DESK_RETURN_REASONS = {
  out_of_stock_long: "长期缺货",
  no_cold_chain: "无冷链配送条件",
  outside_delivery_area: "超出配送范围",
  cannot_contact_patient: "无法联系患者",
  other: "其他原因",
} as const;
export type DeskReturnReason = keyof typeof DESK_RETURN_REASONS;
export const DESK_RETURN_REASON_CODES = ["out_of_stock_long", "no_cold_chain", "outside_delivery_area", "cannot_contact_patient", "other"] as const satisfies readonly DeskReturnReason[];

export const SYSTEM_RETURN_REASONS = {
  pharmacy_rejected: "外部药房拒收订单",
  pharmacy_returned: "外部药房退回订单",
  /** a pickup moved to another pharmacy's window with the patient's consent (change-site) */
  site_changed: "患者同意更换取药点",
} as const;

export const RETURN_REASONS: Record<string, string> = { ...DESK_RETURN_REASONS, ...SYSTEM_RETURN_REASONS };

/** The label of a stored returnReason (`code` or `code: text`); unknown codes get a generic label, never the raw text alone. */
export function returnReasonLabel(returnReason: string): string {
  const code = returnReason.split(":")[0]?.trim() ?? "";
  return (Object.hasOwn(RETURN_REASONS, code) && RETURN_REASONS[code]) || "药房退回";
}

/** How the patient agreed to a change of pickup site. */
export const CONSENT_METHODS = {
  phone: "电话确认",
  in_person: "当面确认",
  sms: "短信确认",
  app: "应用内确认",
} as const;
export type ConsentMethod = keyof typeof CONSENT_METHODS;
export const CONSENT_METHOD_CODES = ["phone", "in_person", "sms", "app"] as const satisfies readonly ConsentMethod[];
