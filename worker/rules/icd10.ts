/** ICD-10 matching by prefix. Dots are ignored so "E11.9" matches "E11" and "E119" matches "E11.9". */

function bare(code: string): string {
  return code.replaceAll(".", "").trim().toUpperCase();
}

export function matchesPrefix(code: string, prefix: string): boolean {
  const p = bare(prefix);
  return p.length > 0 && bare(code).startsWith(p);
}

export function matchesAny(code: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => matchesPrefix(code, p));
}
