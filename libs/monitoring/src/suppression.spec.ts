import { cell, cellsWithTotal, statistic, sumOf } from './suppression';

const values = (r: { cells: { value: number | null }[] }) => r.cells.map((c) => c.value);

describe('small-cell suppression', () => {
  it('hides counts from 1 to k − 1 and shows zero and k', () => {
    expect(cell(0, 5)).toEqual({ value: 0, fewerThan: null, text: '0' });
    expect(cell(1, 5)).toEqual({ value: null, fewerThan: 5, text: 'fewer than 5' });
    expect(cell(4, 5).value).toBeNull();
    expect(cell(5, 5)).toEqual({ value: 5, fewerThan: null, text: '5' });
  });

  it('a total is shown only when no count of its table is withheld', () => {
    const r = cellsWithTotal([12, 3, 0, 7, 9], 5);
    expect(values(r)).toEqual([12, null, 0, 7, 9]);
    expect(r.cells[1].text).toBe('fewer than 5');
    // 31 − 12 − 7 − 9 would be the 3
    expect(r.total).toEqual({ value: null, fewerThan: null, text: 'withheld' });
    expect(cellsWithTotal([12, 0, 7], 5).total).toEqual({ value: 19, fewerThan: null, text: '19' });
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
