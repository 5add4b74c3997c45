// Countdowns to a deadline (the consent window, an answer, an arrival): the clock moves every second for the eye;
// screen readers hear only the thresholds it crosses, through the polite announcer, never every tick.
import { useEffect, useRef, useState } from 'react';

/** Whole minutes left, rounded up (0 once the deadline has passed). */
export function minutesLeft(deadline: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(deadline) - now) / 60_000));
}

/**
 * What to announce between two readings of the minutes left: the minutes left now, when a threshold was crossed
 * (after a jump, e.g. a tab in the background, the time actually left, not the threshold passed); null when none was,
 * or when the deadline has passed and 0 is not one of the thresholds.
 */
export function thresholdAnnouncement(before: number, after: number, thresholds: readonly number[]): number | null {
  if (!thresholds.some((t) => before > t && after <= t)) return null;
  if (after === 0 && !thresholds.includes(0)) return null;
  return after;
}

/** "1:02:03", "12:03", "0:09". */
export function clockText(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1_000);
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
}

/** The time left to `deadline`, ticking each second; `onThreshold` hears the minutes left at each threshold crossed. */
export function useCountdown(
  deadline: string,
  thresholds: readonly number[],
  onThreshold: (minutes: number) => void,
): { ms: number; minutes: number; clock: string } {
  const [now, setNow] = useState(() => Date.now());
  const last = useRef(minutesLeft(deadline, Date.now()));
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const minutes = minutesLeft(deadline, now);
  useEffect(() => {
    const crossed = thresholdAnnouncement(last.current, minutes, thresholds);
    last.current = minutes;
    if (crossed !== null) onThreshold(crossed);
  }, [minutes, thresholds, onThreshold]);
  const ms = Math.max(0, Date.parse(deadline) - now);
  return { ms, minutes, clock: clockText(ms) };
}
