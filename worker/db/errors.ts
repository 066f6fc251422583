/**
 * D1 reports constraint violations as error text (on the error or its cause). One reader
 * for all repos: `constraintFailed(err, "UNIQUE", "formulary_entries.code")`.
 */
export function constraintFailed(err: unknown, kind: "UNIQUE" | "NOT NULL" | "FOREIGN KEY", target = ""): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
  return text.includes(`${kind} constraint failed${target ? `: ${target}` : ""}`);
}
