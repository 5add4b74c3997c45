// A countdown on the referral's timeline: the text moves every second for the eye; screen readers hear 30, 15, 5 and
// 1 minutes left, and the end.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../app/announcer';
import { useCountdown } from '../app/countdown';

const THRESHOLDS = [30, 15, 5, 1, 0];

export function Countdown({ deadline, label }: { deadline: string; label: 'consent' | 'answer' | 'arrival' }) {
  const { t } = useTranslation('advocate');
  const announce = useAnnounce();
  const onThreshold = useCallback(
    (minutes: number) => announce(t(`countdown.${label}.announce`, { count: minutes })),
    [announce, label, t],
  );
  const { ms, minutes, clock } = useCountdown(deadline, THRESHOLDS, onThreshold);
  return (
    // role=timer is not announced on every tick (aria-live off); thresholds go through the polite announcer
    <p role="timer" className={minutes <= 5 ? 'banner warning' : 'banner info'}>
      {ms === 0 ? t(`countdown.${label}.over`) : t(`countdown.${label}.left`, { clock })}
    </p>
  );
}
