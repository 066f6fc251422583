import { toHex } from "../lib/encoding";

/*
 * The random sample of a month's prescriptions (处方点评管理规范 第十二条: at least 1‰ of the
 * month's outpatient prescriptions and at least 100). Pure and reproducible: the same seed
 * and the same population (sorted by id) give the same sample, so anyone can re-draw a
 * stored sample from its seed and check it was not picked by hand.
 */

/** A new seed: 128 random bits as 32 hex digits, stored with the sample. */
export function newSeed(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

export function isSeed(seed: string): boolean {
  return /^[0-9a-f]{32}$/.test(seed);
}

/**
 * sfc32 (Chris Doty-Humphrey's small fast counter, PractRand-clean) over the seed's four
 * 32-bit words; each call gives a uniform 32-bit unsigned integer.
 */
function sfc32(seed: string): () => number {
  const words = [0, 8, 16, 24].map((at) => Number.parseInt(seed.slice(at, at + 8), 16) >>> 0);
  let [a, b, c, d] = words as [number, number, number, number];
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // the first outputs of sfc32 still show the seed; the reference implementation discards them
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A uniform integer in [0, n), without modulo bias (rejection of the incomplete last block). */
function below(next: () => number, n: number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

/**
 * How many to review: at least the setting and at least 1‰ of the population, never more
 * than the population.
 */
export function sampleSizeFor(setting: number, population: number): { asked: number; drawn: number } {
  const asked = Math.max(setting, Math.ceil(population / 1000));
  return { asked, drawn: Math.min(asked, population) };
}

/**
 * `count` distinct ids drawn uniformly from `population` (a partial Fisher–Yates shuffle);
 * the ids are sorted first, so the order the database returned them in does not matter.
 */
export function drawSample(population: readonly string[], count: number, seed: string): string[] {
  if (!isSeed(seed)) throw new Error("a sample seed is 32 lowercase hex digits");
  const pool = [...population].sort();
  const next = sfc32(seed);
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + below(next, pool.length - i);
    const picked = pool[j] as string;
    pool[j] = pool[i] as string;
    pool[i] = picked;
  }
  return pool.slice(0, n);
}

/** 'YYYY-MM' of a China month and the UTC instants it spans ([start, end)), as stored. */
export function monthSpan(month: string): { startAt: string; endAt: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  // ISO needs four year digits: "0000-01" is followed by "0000-02", not "0-02" (an invalid date, a 500)
  const year = (n: number) => String(n).padStart(4, "0");
  const next = m === 12 ? `${year(y + 1)}-01` : `${year(y)}-${String(m + 1).padStart(2, "0")}`;
  return { startAt: new Date(`${month}-01T00:00:00+08:00`).toISOString(), endAt: new Date(`${next}-01T00:00:00+08:00`).toISOString() };
}
