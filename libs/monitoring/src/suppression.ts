/**
 * Small-cell suppression for statistics about referrals: a count of people below k could single someone out, so
 * it is reported as "fewer than k" instead. Zero is shown (it singles no one out).
 */
export interface Cell {
  /** The count, or null when suppressed. */
  value: number | null;
  /** k when the count is suppressed, else null. */
  fewerThan: number | null;
  /** "12", or "fewer than 5". */
  text: string;
}

export function shown(value: number): Cell {
  return { value, fewerThan: null, text: String(value) };
}

export function hidden(k: number): Cell {
  return { value: null, fewerThan: k, text: `fewer than ${k}` };
}

/** Withheld only so that a small count elsewhere cannot be worked out: no bound is claimed. */
export function withheld(): Cell {
  return { value: null, fewerThan: null, text: 'withheld' };
}

export function cell(value: number, k: number): Cell {
  return value > 0 && value < k ? hidden(k) : shown(value);
}

/**
 * Cells of one table whose total is published too. Primary suppression hides every count from 1 to k − 1; when
 * that hides exactly one cell, the total would give it away, so the smallest other non-zero cell is hidden too
 * (secondary suppression), reading "withheld": it may be k or more.
 */
export function cellsWithTotal(values: readonly number[], k: number): Cell[] {
  const cells = values.map((v) => cell(v, k));
  const suppressed = cells.filter((c) => c.value === null).length;
  if (suppressed === 1) {
    let smallest = -1;
    values.forEach((v, i) => {
      if (cells[i].value !== null && v > 0 && (smallest < 0 || v < values[smallest])) smallest = i;
    });
    if (smallest >= 0) cells[smallest] = cells[smallest].value! < k ? hidden(k) : withheld();
  }
  return cells;
}

/** A statistic about a group of referrals (a median, a rate): shown only when the group has at least k members. */
export function statistic(value: number | null, groupSize: number, k: number): number | null {
  return groupSize >= k ? value : null;
}
