/** Whether a shelter takes intakes at a moment, in its own time zone. Pure; unit-tested. */

export interface IntakeHours {
  alwaysOpen: boolean;
  /** ISO weekdays, 1 = Monday … 7 = Sunday, on which the intake window opens. */
  days: number[];
  /** Local "HH:MM" or "HH:MM:SS"; a window that closes before it opens runs past midnight. */
  opens: string | null;
  closes: string | null;
  timeZone: string;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local ISO weekday and minute of the day. */
export function localClock(at: Date, timeZone: string): { weekday: number; minute: number } {
  let weekday = 1;
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 1;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

export function minuteOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function acceptsIntakeAt(hours: IntakeHours, at: Date): boolean {
  if (hours.alwaysOpen) return true;
  if (!hours.opens || !hours.closes) return false;
  const { weekday, minute } = localClock(at, hours.timeZone);
  const opens = minuteOfDay(hours.opens);
  const closes = minuteOfDay(hours.closes);
  if (opens < closes) return hours.days.includes(weekday) && minute >= opens && minute < closes;
  // overnight window: open from `opens` on a listed day until `closes` the next morning
  const previousDay = weekday === 1 ? 7 : weekday - 1;
  return (hours.days.includes(weekday) && minute >= opens) || (hours.days.includes(previousDay) && minute < closes);
}

const DAY_MINUTES = 24 * 60;

/**
 * Minutes from `at` until the shelter next takes intakes: 0 while it does, null when it never opens within a
 * week (no intake hours) or is paused (see the candidate). Counted on the local clock (a day is 1,440 minutes, so
 * across a daylight-saving change it is an hour off, in both languages alike).
 */
export function minutesUntilIntake(hours: IntakeHours, at: Date): number | null {
  if (acceptsIntakeAt(hours, at)) return 0;
  if (hours.alwaysOpen || !hours.opens) return null;
  const { weekday, minute } = localClock(at, hours.timeZone);
  const opens = minuteOfDay(hours.opens);
  for (let day = 0; day <= 7; day += 1) {
    const until = day * DAY_MINUTES + opens - minute;
    if (until >= 0 && hours.days.includes(((weekday - 1 + day) % 7) + 1)) return until;
  }
  return null;
}

const minuteSql = (t: string) => `(extract(hour FROM ${t}) * 60 + extract(minute FROM ${t}))::int`;

/**
 * The local clock of the shelter `n` at the instant `now` (a placeholder) in SQL: a row of `weekday` (ISO) and
 * `minute` of the day, for a LATERAL join. An aggregate over many shelters can work it out once per zone instead.
 */
export function localClockSql(now: string, zone = 'n.time_zone'): string {
  return `SELECT extract(isodow FROM t.local)::int AS weekday, ${minuteSql('t.local')} AS minute
            FROM (SELECT ${now} AT TIME ZONE ${zone} AS local) t`;
}

/**
 * `acceptsIntakeAt` in SQL for the shelter `n`, given its local clock (`weekday`, `minute` expressions, see
 * `localClockSql`), with the shelter's status: the `acceptingIntakesNow` of a search candidate. Minutes, as
 * above; Postgres and Node read the same IANA zones (the shelter service accepts only zones both know).
 */
export function acceptingIntakesSql(clock: { weekday: string; minute: string }): string {
  const { weekday, minute } = clock;
  const opens = minuteSql('n.intake_opens');
  const closes = minuteSql('n.intake_closes');
  return `n.status = 'ACTIVE' AND (n.intake_always_open OR coalesce(
      CASE WHEN ${opens} < ${closes}
           THEN ${weekday} = ANY (n.intake_days) AND ${minute} >= ${opens} AND ${minute} < ${closes}
           ELSE (${weekday} = ANY (n.intake_days) AND ${minute} >= ${opens})
             OR (CASE ${weekday} WHEN 1 THEN 7 ELSE ${weekday} - 1 END = ANY (n.intake_days) AND ${minute} < ${closes})
      END, false))`;
}

/**
 * `minutesUntilIntake` in SQL for the shelter `n`, given its local clock and whether it takes intakes now
 * (`acceptingIntakesSql`): 0 when it does; null when paused, when it has no intake hours, or when none of its
 * intake days comes within a week.
 */
export function minutesUntilIntakeSql(clock: { weekday: string; minute: string }, openNow: string): string {
  const opens = minuteSql('n.intake_opens');
  return `CASE WHEN ${openNow} THEN 0
               WHEN n.status <> 'ACTIVE' OR n.intake_always_open OR n.intake_opens IS NULL THEN NULL
               ELSE (SELECT min(d * ${DAY_MINUTES} + ${opens} - ${clock.minute}) FROM generate_series(0, 7) d
                      WHERE d * ${DAY_MINUTES} + ${opens} - ${clock.minute} >= 0
                        AND (${clock.weekday} - 1 + d) % 7 + 1 = ANY (n.intake_days)) END`;
}
