import { cell, cellsWithTotal, statistic } from './suppression';

describe('small-cell suppression', () => {
  it('hides counts from 1 to k − 1 and shows zero and k', () => {
    expect(cell(0, 5)).toEqual({ value: 0, fewerThan: null, text: '0' });
    expect(cell(1, 5)).toEqual({ value: null, fewerThan: 5, text: 'fewer than 5' });
    expect(cell(4, 5).value).toBeNull();
    expect(cell(5, 5)).toEqual({ value: 5, fewerThan: null, text: '5' });
  });

  it('k = 1 hides nothing', () => {
    expect(cell(1, 1).value).toBe(1);
  });

  it('hides the smallest other non-zero cell when only one cell was hidden (the total would reveal it)', () => {
    const cells = cellsWithTotal([12, 3, 0, 7, 9], 5);
    expect(cells.map((c) => c.value)).toEqual([12, null, 0, null, 9]);
    expect(cells[1].text).toBe('fewer than 5');
    // 7 is not fewer than 5: it is withheld without a bound
    expect(cells[3]).toEqual({ value: null, fewerThan: null, text: 'withheld' });
  });

  it('adds nothing when two or more cells are hidden already, or none is', () => {
    expect(cellsWithTotal([12, 3, 2, 7], 5).map((c) => c.value)).toEqual([12, null, null, 7]);
    expect(cellsWithTotal([12, 0, 7], 5).map((c) => c.value)).toEqual([12, 0, 7]);
  });

  it('leaves a lone hidden cell alone when no other non-zero cell exists', () => {
    expect(cellsWithTotal([3, 0, 0], 5).map((c) => c.value)).toEqual([null, 0, 0]);
  });

  it('shows a statistic only for groups of at least k', () => {
    expect(statistic(42, 4, 5)).toBeNull();
    expect(statistic(42, 5, 5)).toBe(42);
    expect(statistic(null, 9, 5)).toBeNull();
  });
});
