import { cell, cellsWithTotal, statistic, sumOf } from './suppression';

const values = (r: { cells: { value: number | null }[] }) => r.cells.map((c) => c.value);

describe('small-cell suppression', () => {
  it('hides counts from 1 to k − 1 and shows zero and k', () => {
    expect(cell(0, 5)).toEqual({ value: 0, fewerThan: null, text: '0' });
    expect(cell(1, 5)).toEqual({ value: null, fewerThan: 5, text: 'fewer than 5' });
    expect(cell(4, 5).value).toBeNull();
    expect(cell(5, 5)).toEqual({ value: 5, fewerThan: null, text: '5' });
  });

  it('withholds more counts, smallest first, until the withheld ones add up to at least 2k − 1', () => {
    // 3 is small; 7 (3 + 7 = 10 ≥ 9) is withheld with it; 9 and 12 stay
    const r = cellsWithTotal([12, 3, 0, 7, 9], 5);
    expect(values(r)).toEqual([12, null, 0, null, 9]);
    expect(r.cells[1].text).toBe('fewer than 5');
    expect(r.cells[3]).toEqual({ value: null, fewerThan: null, text: 'withheld' });
    expect(r.total).toEqual({ value: 31, fewerThan: null, text: '31' });
  });

  it('a lone small count beside one of exactly k: both withheld, and the total too (1 + 5 would pin them)', () => {
    const r = cellsWithTotal([1, 5, 0], 5);
    expect(values(r)).toEqual([null, null, 0]);
    expect(r.total.value).toBeNull();
  });

  it('two small counts that already add up to 2k − 1 need nothing more', () => {
    expect(values(cellsWithTotal([12, 4, 4, 1, 7], 5))).toEqual([12, null, null, null, 7]);
  });

  it('nothing more is withheld when no count is small', () => {
    const r = cellsWithTotal([12, 0, 7], 5);
    expect(values(r)).toEqual([12, 0, 7]);
    expect(r.total.value).toBe(19);
  });

  it('a small total reads fewer than k', () => {
    const r = cellsWithTotal([3, 0, 0], 5);
    expect(values(r)).toEqual([null, 0, 0]);
    expect(r.total.text).toBe('fewer than 5');
  });

  it('a sum of decided cells is shown only when none of them is withheld', () => {
    expect(sumOf([cell(5, 5), cell(0, 5)], [5, 0], 5).value).toBe(5);
    expect(sumOf([cell(5, 5), cell(2, 5)], [5, 2], 5).text).toBe('withheld');
    expect(sumOf([cell(2, 5), cell(1, 5)], [2, 1], 5).text).toBe('fewer than 5');
  });

  it('shows a statistic only for groups of at least k', () => {
    expect(statistic(42, 4, 5)).toBeNull();
    expect(statistic(42, 5, 5)).toBe(42);
    expect(statistic(null, 9, 5)).toBeNull();
  });
});
