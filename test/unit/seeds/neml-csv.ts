import csvText from "../../../seeds/neml-2026/varieties.csv?raw";
import { parseCsv } from "../../../worker/lib/csv";

/** The 2026 NEML CSV read once for the seed tests, with column lookup by header name. */
export const nemlCsvText: string = csvText;
const [header = [], ...records] = parseCsv(csvText);

export const nemlRows: string[][] = records;

export function nemlColumn(name: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`column ${name} missing`);
  return i;
}

const CODE = nemlColumn("药品编码");
const NAME = nemlColumn("药品通用名");

/** NEML number (W123) → its rows: the entry's own row first, cross-listings after. */
export const nemlRowsByNo = new Map<string, string[][]>();
for (const r of nemlRows) {
  const no = (r[CODE] ?? "").replace(/^MED-2026-/, "");
  nemlRowsByNo.set(no, [...(nemlRowsByNo.get(no) ?? []), r]);
}

/** The generic name of a NEML number as the list writes it (PDF spaces removed). */
export function nemlName(no: string): string | undefined {
  return nemlRowsByNo.get(no)?.[0]?.[NAME]?.replace(/\s+/g, "");
}
