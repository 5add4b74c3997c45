// Occupied beds against capacity over time, as a small inline SVG with an accessible name. The table beside it
// carries the same numbers for everyone (and is what a screen reader reads): the chart is a picture of it.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface Point {
  label: string;
  capacity: number;
  occupied: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

export function OccupancyChart({ points }: { points: Point[] }) {
  const { t } = useTranslation('coordinator');
  const titleId = useId();
  const descId = useId();
  if (points.length === 0) return <p>{t('reports.noOccupancy')}</p>;
  const max = Math.max(1, ...points.map((p) => p.capacity));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const line = (values: number[]) =>
    values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{t('reports.chartTitle')}</title>
        <desc id={descId}>
          {t('reports.chartDesc', {
            from: first.label,
            to: last.label,
            occupied: last.occupied,
            capacity: last.capacity,
          })}
        </desc>
        <line x1={PAD.left} y1={PAD.top + innerH} x2={WIDTH - PAD.right} y2={PAD.top + innerH} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + innerH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">
          {max}
        </text>
        <text x={PAD.left - 6} y={PAD.top + innerH} textAnchor="end" className="tick">
          0
        </text>
        <text x={PAD.left} y={HEIGHT - 6} className="tick">
          {first.label}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="tick">
          {last.label}
        </text>
        <path d={line(points.map((p) => p.capacity))} className="series capacity" />
        <path d={line(points.map((p) => p.occupied))} className="series occupied" />
      </svg>
      <figcaption className="legend">
        <span>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="28" y2="5" className="series capacity" />
          </svg>{' '}
          {t('reports.legendCapacity')}
        </span>{' '}
        <span>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="0" y1="5" x2="28" y2="5" className="series occupied" />
          </svg>{' '}
          {t('reports.legendOccupied')}
        </span>
      </figcaption>
    </figure>
  );
}
