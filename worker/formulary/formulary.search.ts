import { pinyin } from "pinyin-pro";

/**
 * Search text processing, pure. The FTS5 table indexes one derived column per entry:
 * lower-case code and INN words, and the CJK bigrams then unigrams of
 * "generic name + form". unicode61 keeps a CJK run as one token, so pre-splitting into
 * bigrams is what lets "地平" find every -dipine and "阿司匹林肠溶片" find its product.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

export function normalizeQuery(q: string): string {
  return q.normalize("NFKC").trim().replace(/\s+/g, " ").slice(0, 64);
}

/** Pinyin initials of a Chinese name; letters and digits in it are kept as they are. */
export function pinyinInitials(name: string): string {
  const parts = pinyin(name.normalize("NFKC"), { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" });
  return parts
    .join("")
    .replace(/[^A-Za-z0-9]/g, "")
    .toUpperCase()
    .slice(0, 40);
}

function cjkGrams(text: string): string[] {
  const bigrams: string[] = [];
  const unigrams = new Set<string>();
  for (const run of text.match(CJK_RUN) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) bigrams.push(`${chars[i]}${chars[i + 1]}`);
    for (const ch of chars) unigrams.add(ch);
  }
  return [...bigrams, ...unigrams];
}

export function searchTermsOf(e: { code: string; genericName: string; innName: string | null; form: string }): string {
  // pinyin is not indexed here: its prefix search is a B-tree range scan (search tier 1)
  const ascii = [e.code, e.innName ?? ""].join(" ").toLowerCase().match(WORD) ?? [];
  const latinInName = `${e.genericName} ${e.form}`.replace(CJK_RUN, " ").toLowerCase().match(WORD) ?? [];
  return [...ascii, ...latinInName, ...cjkGrams(`${e.genericName}${e.form}`)].join(" ");
}

/** FTS5 MATCH expression for a query, or null when nothing in it is searchable. */
export function ftsQuery(q: string): string | null {
  const terms: string[] = [];
  const text = normalizeQuery(q).toLowerCase();
  for (const token of text.match(WORD) ?? []) {
    // a token mixing CJK and Latin ("维生素b12") is split into its runs
    for (const part of token.split(/([\u3400-\u9fff\uf900-\ufaff]+)/u).filter(Boolean)) {
      if (CJK.test(part)) {
        const chars = [...part];
        terms.push(chars.length === 1 ? `"${part}"` : `"${chars.slice(0, -1).map((ch, i) => ch + chars[i + 1]).join(" ")}"`);
      } else {
        terms.push(`"${part}"*`);
      }
    }
  }
  return terms.length ? terms.join(" AND ") : null;
}

/** The smallest string greater than every string starting with `prefix` (for index range scans). */
export function prefixUpperBound(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop();
  if (last === undefined) return "\u{10FFFF}";
  const cp = last.codePointAt(0) ?? 0;
  return chars.join("") + String.fromCodePoint(Math.min(cp + 1, 0x10ffff));
}

export function isPinyinQuery(q: string): boolean {
  return /^[A-Za-z0-9]{1,40}$/.test(q);
}
