// The demo's time window and its hourly activity curve (business hours, weekdays, growth) in the org time zone.
import { TZDate } from "@date-fns/tz";

const HOUR_MS = 3_600_000;

/** Relative activity per local hour of day: quiet nights, a morning ramp, a lunch dip. */
const HOUR_OF_DAY = [
  0.12, 0.08, 0.07, 0.07, 0.09, 0.18, 0.4, 0.8, 1.3, 1.75, 1.9, 1.85, 1.5, 1.7, 1.85, 1.75, 1.45, 1.1, 0.8, 0.6, 0.48,
  0.38, 0.27, 0.18,
];
/** Sunday..Saturday. */
const DAY_OF_WEEK = [0.28, 1.05, 1.12, 1.1, 1.08, 0.95, 0.33];
/** Activity at the end of the window relative to its start. */
const GROWTH = 1.8;

export type DemoWindow = {
  /** Inclusive start (local midnight), UTC ms. */
  startMs: number;
  /** Exclusive end (local midnight of the --end date), UTC ms. */
  endMs: number;
  /** First local day of the month containing the last day of data, UTC ms. */
  currentMonthStartMs: number;
  /** First local day of the month containing the first day of data, UTC ms. */
  firstMonthStartMs: number;
};

/** `days` full local days ending just before local midnight of `endDate` (YYYY-MM-DD). */
export function demoWindow(endDate: string, days: number, timeZone: string): DemoWindow {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDate);
  if (!match) throw new Error(`--end must be YYYY-MM-DD, got ${endDate}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  if (new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10) !== endDate) throw new Error(`--end is not a calendar date: ${endDate}`);
  const end = new TZDate(y, m, d, timeZone);
  const start = new TZDate(y, m, d - days, timeZone);
  const last = new TZDate(end.getTime() - 1, timeZone);
  return {
    startMs: start.getTime(),
    endMs: end.getTime(),
    currentMonthStartMs: new TZDate(last.getFullYear(), last.getMonth(), 1, timeZone).getTime(),
    firstMonthStartMs: new TZDate(start.getFullYear(), start.getMonth(), 1, timeZone).getTime(),
  };
}

export type HourSlot = { startMs: number; lengthMs: number; progress: number; weight: number };

/** Hour slots over the window with relative activity weights; `dayNoise` is called once per local day. */
export function hourSlots(window: DemoWindow, timeZone: string, dayNoise: () => number): HourSlot[] {
  const slots: HourSlot[] = [];
  const span = window.endMs - window.startMs;
  let noiseDay = "";
  let noise = 1;
  // Walk UTC hours; every IANA zone offset in use today is a multiple of 15 minutes, so clamp slots to the window.
  for (let t = window.startMs; t < window.endMs; t += HOUR_MS) {
    const local = new TZDate(t, timeZone);
    const day = `${local.getFullYear()}-${local.getMonth()}-${local.getDate()}`;
    if (day !== noiseDay) {
      noiseDay = day;
      noise = dayNoise();
    }
    const progress = (t - window.startMs) / span;
    const weight = HOUR_OF_DAY[local.getHours()]! * DAY_OF_WEEK[local.getDay()]! * Math.pow(GROWTH, progress) * noise;
    slots.push({ startMs: t, lengthMs: Math.min(HOUR_MS, window.endMs - t), progress, weight });
  }
  return slots;
}

/** Splits `total` events over slots proportionally to weight; the counts sum to exactly `total`. */
export function distribute(total: number, slots: readonly HourSlot[]): number[] {
  const sum = slots.reduce((s, slot) => s + slot.weight, 0);
  const counts: number[] = [];
  let cumulative = 0;
  let assigned = 0;
  slots.forEach((slot, i) => {
    cumulative += slot.weight;
    const upTo = i === slots.length - 1 ? total : Math.floor((total * cumulative) / sum);
    counts.push(upTo - assigned);
    assigned = upTo;
  });
  return counts;
}
