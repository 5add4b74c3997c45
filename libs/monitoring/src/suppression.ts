/**
 * Small-cell suppression for statistics about referrals: a count of people below k could single someone out, so
 * it is reported as "fewer than k" instead. Zero is shown (it singles no one out).
 */
export interface Cell {
  /** The count, or null when withheld. */
  value: number | null;
  /** k when the count is withheld for being fewer than k, else null. */
  fewerThan: number | null;
  /** "12", "fewer than 5", or "withheld". */
  text: string;
}

export function shown(value: number): Cell {
  return { value, fewerThan: null, text: String(value) };
}

export function hidden(k: number): Cell {
  return { value: null, fewerThan: k, text: `fewer than ${k}` };
}

/** Withheld so that a small count elsewhere cannot be worked out: no bound is claimed. */
export function withheld(): Cell {
  return { value: null, fewerThan: null, text: 'withheld' };
}

export function cell(value: number, k: number): Cell {
  return value > 0 && value < k ? hidden(k) : shown(value);
}

/**
 * The cells of one table and its total. Every count from 1 to k − 1 is withheld; the total is shown only when no
 * count of its table is, since the total less the counts shown would give a lone withheld one away (and with
 * several, what is known of each bounds the others). A small total reads "fewer than k", any other withheld total
 * "withheld".
 */
export function cellsWithTotal(values: readonly number[], k: number): { cells: Cell[]; total: Cell } {
  const cells = values.map((v) => cell(v, k));
  const total = values.reduce((a, b) => a + b, 0);
  if (cells.every((c) => c.value !== null)) return { cells, total: cell(total, k) };
  return { cells, total: total < k ? hidden(k) : withheld() };
}

/**
 * A count that is the sum of cells already decided (their `values`): shown only when none of them is withheld,
 * else "fewer than k" when it is, else withheld.
 */
export function sumOf(cells: readonly Cell[], values: readonly number[], k: number): Cell {
  const sum = values.reduce((a, b) => a + b, 0);
  if (cells.every((c) => c.value !== null)) return cell(sum, k);
  return sum < k ? hidden(k) : withheld();
}

/** A statistic about a group of referrals (a median, a rate): shown only when the group has at least k members. */
export function statistic(value: number | null, groupSize: number, k: number): number | null {
  return groupSize >= k ? value : null;
}
