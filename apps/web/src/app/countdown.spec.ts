import { clockText, minutesLeft, thresholdAnnouncement } from './countdown';

describe('countdowns', () => {
  it('announces only when a threshold is crossed, with the minutes actually left', () => {
    const thresholds = [30, 15, 5, 1, 0];
    expect(thresholdAnnouncement(31, 30, thresholds)).toBe(30);
    expect(thresholdAnnouncement(30, 29, thresholds)).toBeNull();
    // a tab in the background jumps: the time left, not the threshold passed
    expect(thresholdAnnouncement(40, 10, thresholds)).toBe(10);
    expect(thresholdAnnouncement(2, 0, thresholds)).toBe(0);
    expect(thresholdAnnouncement(6, 5, [5, 1])).toBe(5);
    // the deadline passed, and 0 is not a threshold: nothing (never "1 minute left" after the end)
    expect(thresholdAnnouncement(1, 0, [5, 1])).toBeNull();
    expect(thresholdAnnouncement(2, 0, [5, 1])).toBeNull();
  });

  it('counts whole minutes up, never below 0, and shows hours only when there are some', () => {
    const deadline = '2026-12-08T12:00:00.000Z';
    expect(minutesLeft(deadline, Date.parse('2026-12-08T11:55:00.001Z'))).toBe(5);
    expect(minutesLeft(deadline, Date.parse('2026-12-08T11:54:59.999Z'))).toBe(6);
    expect(minutesLeft(deadline, Date.parse('2026-12-08T12:00:01.000Z'))).toBe(0);
    expect(clockText(9_000)).toBe('0:09');
    expect(clockText(12 * 60_000 + 3_000)).toBe('12:03');
    expect(clockText(3_600_000 + 2 * 60_000 + 3_000)).toBe('1:02:03');
  });
});
