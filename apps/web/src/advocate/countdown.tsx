// A countdown to a deadline: the text moves every second for the eye, but screen readers hear only thresholds.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { crossedThreshold } from './needs';

function minutesLeft(deadline: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(deadline) - now) / 60_000));
}

export function Countdown({ deadline, label }: { deadline: string; label: 'consent' | 'answer' | 'arrival' }) {
  const { t } = useTranslation('advocate');
  const announce = useAnnounce();
  const [now, setNow] = useState(() => Date.now());
  const last = useRef(minutesLeft(deadline, Date.now()));

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);

  const minutes = minutesLeft(deadline, now);
  useEffect(() => {
    const crossed = crossedThreshold(last.current, minutes);
    last.current = minutes;
    if (crossed !== null) announce(t(`countdown.${label}.announce`, { count: crossed }));
  }, [minutes, announce, label, t]);

  const ms = Math.max(0, Date.parse(deadline) - now);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1_000);
  const clock = `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return (
    // role=timer is not announced on every tick (aria-live off); thresholds go through the polite announcer
    <p role="timer" className={minutes <= 5 ? 'banner warning' : 'banner info'}>
      {ms === 0 ? t(`countdown.${label}.over`) : t(`countdown.${label}.left`, { clock })}
    </p>
  );
}
