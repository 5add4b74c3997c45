import type { ReactNode } from 'react';

/** A table that may scroll sideways at narrow widths: the scrolling region can be reached and scrolled by keyboard. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
