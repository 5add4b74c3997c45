// Countdowns to a deadline (the consent window, an answer, an arrival): the clock moves every second for the eye;
// screen readers hear only the thresholds it crosses, through the polite announcer, never every tick.
import { useEffect, useRef, useState } from 'react';

/** Whole minutes left, rounded up (0 once the deadline has passed). */
export function minutesLeft(deadline: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(deadline) - now) / 60_000));
}

/** The threshold crossed between two readings of the minutes left, the lowest if several were; null if none. */
export function crossedThreshold(before: number, after: number, thresholds: readonly number[]): number | null {
  let crossed: number | null = null;
  for (const t of thresholds) if (before > t && after <= t && (crossed === null || t < crossed)) crossed = t;
  return crossed;
}

/** "1:02:03", "12:03", "0:09". */
export function clockText(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1_000);
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
}

/** The time left to `deadline`, ticking each second; `onThreshold` hears each threshold (minutes) crossed. */
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
    const crossed = crossedThreshold(last.current, minutes, thresholds);
    last.current = minutes;
    if (crossed !== null) onThreshold(crossed);
  }, [minutes, thresholds, onThreshold]);
  const ms = Math.max(0, Date.parse(deadline) - now);
  return { ms, minutes, clock: clockText(ms) };
}
