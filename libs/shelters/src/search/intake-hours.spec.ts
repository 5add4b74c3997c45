import { acceptsIntakeAt, localClock, minutesUntilIntake } from './intake-hours';

const CHICAGO = 'America/Chicago';
// Wednesday 2026-11-25; Chicago is UTC−6 in November
const at = (isoLocal: string) => new Date(`${isoLocal}-06:00`);

describe('intake hours', () => {
  it('reads the local weekday and minute in the shelter’s time zone', () => {
    expect(localClock(at('2026-11-25T09:30:00'), CHICAGO)).toEqual({ weekday: 3, minute: 570 });
  });

  it('24/7 intake is always open', () => {
    expect(
      acceptsIntakeAt(
        { alwaysOpen: true, days: [], opens: null, closes: null, timeZone: CHICAGO },
        at('2026-11-29T03:00:00'),
      ),
    ).toBe(true);
  });

  const weekdays = {
    alwaysOpen: false,
    days: [1, 2, 3, 4, 5],
    opens: '09:00:00',
    closes: '17:00:00',
    timeZone: CHICAGO,
  };

  it.each([
    ['2026-11-25T08:59:00', false],
    ['2026-11-25T09:00:00', true],
    ['2026-11-25T16:59:00', true],
    ['2026-11-25T17:00:00', false],
    ['2026-11-28T12:00:00', false], // Saturday
  ])('weekday office hours at %s → %s', (local, open) => {
    expect(acceptsIntakeAt(weekdays, at(local))).toBe(open);
  });

  const overnight = { alwaysOpen: false, days: [5], opens: '20:00:00', closes: '06:00:00', timeZone: CHICAGO };

  it.each([
    ['2026-11-27T21:00:00', true], // Friday evening
    ['2026-11-28T05:59:00', true], // the Saturday morning after
    ['2026-11-28T06:00:00', false],
    ['2026-11-26T21:00:00', false], // Thursday evening: not a listed day
  ])('an overnight window at %s → %s', (local, open) => {
    expect(acceptsIntakeAt(overnight, at(local))).toBe(open);
  });

  describe('minutes until intake next opens', () => {
    it.each([
      ['2026-11-25T06:45:00', 135], // Wednesday before opening: today at 09:00
      ['2026-11-25T12:00:00', 0], // open now
      ['2026-11-25T17:00:00', 16 * 60], // closed for the day: Thursday 09:00
      ['2026-11-27T18:00:00', 63 * 60], // Friday evening: Monday 09:00
      ['2026-11-28T12:00:00', 45 * 60], // Saturday noon: Monday 09:00
    ])('weekday office hours at %s → %s', (local, minutes) => {
      expect(minutesUntilIntake(weekdays, at(local))).toBe(minutes);
    });

    it('the same weekday next week when today’s opening has passed', () => {
      const wednesdays = { ...weekdays, days: [3] };
      expect(minutesUntilIntake(wednesdays, at('2026-11-25T17:30:00'))).toBe(7 * 24 * 60 - 8 * 60 - 30);
    });

    it('24/7 is open now; no intake days or no hours never open', () => {
      const always = { alwaysOpen: true, days: [], opens: null, closes: null, timeZone: CHICAGO };
      expect(minutesUntilIntake(always, at('2026-11-25T03:00:00'))).toBe(0);
      expect(minutesUntilIntake({ ...weekdays, days: [] }, at('2026-11-25T03:00:00'))).toBeNull();
      expect(minutesUntilIntake({ ...weekdays, opens: null, closes: null }, at('2026-11-25T03:00:00'))).toBeNull();
    });
  });
});
