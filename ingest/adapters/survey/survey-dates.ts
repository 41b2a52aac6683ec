import { TZDate } from "@date-fns/tz";

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Order of the day and month in a slashed date: exports from US-locale accounts are month first. */
export type DateOrder = "mdy" | "dmy";

/** "+03:00", "+0300", "+3" (as in "GMT+3") as minutes east of UTC. */
function offsetMinutes(text: string): number | null {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

function buildDate(
  parts: { y: number; mo: number; d: number; h: number; mi: number; s: number },
  zone: { offset: number | null; timezone: string },
): Date | null {
  const { y, mo, d, h, mi, s } = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  let ms: number;
  if (zone.offset !== null) ms = Date.UTC(y, mo - 1, d, h, mi, s) - zone.offset * 60_000;
  else ms = new TZDate(y, mo - 1, d, h, mi, s, zone.timezone).getTime();
  if (!Number.isFinite(ms)) return null;
  const check = new Date(Date.UTC(y, mo - 1, d));
  // Reject impossible calendar days such as 02/31 instead of rolling them into March.
  if (check.getUTCDate() !== d) return null;
  return new Date(ms);
}

/** [year, month, day] of a date without time, or null. */
function splitDate(text: string, order: DateOrder): [number, number, number] | null {
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/.exec(text);
  if (slashed) {
    const a = Number(slashed[1]);
    const b = Number(slashed[2]);
    const y = Number(slashed[3]) + (slashed[3]?.length === 2 ? 2000 : 0);
    const dayFirst = order === "dmy" ? b <= 12 : a > 12;
    return dayFirst ? [y, b, a] : [y, a, b];
  }
  const dotted = /^(\d{1,2})[.-](\d{1,2})[.-](\d{4})$/.exec(text);
  if (dotted) return [Number(dotted[3]), Number(dotted[2]), Number(dotted[1])];
  const named = /^(\d{1,2})[-\s]([A-Za-z]{3})[a-z]*[-\s,]+(\d{4})$/.exec(text);
  const month = named && MONTHS[(named[2] as string).toLowerCase()];
  if (named && month) return [Number(named[3]), month, Number(named[1])];
  return null;
}

/**
 * Parse a survey-export timestamp. An explicit offset ("Z", "+02:00", "-0700",
 * "GMT+3", "UTC") wins; a naive wall-clock time is read in `timezone` (the
 * account's or product's zone). Accepts ISO forms, "YYYY/MM/DD", "M/D/YYYY"
 * (US order unless the first number is over 12 or `order` is "dmy"),
 * "DD.MM.YYYY", "DD-Mon-YYYY", 12-hour times with AM/PM, and Unix seconds.
 * Returns null when the text is not a date.
 */
export function parseSurveyDate(raw: string, timezone: string, order: DateOrder = "mdy"): Date | null {
  let text = raw.replace(/\u0000/g, "").trim();
  if (!text) return null;
  if (/^\d{9,10}(\.\d+)?$/.test(text)) return new Date(Number(text) * 1000);
  let offset: number | null = null;
  const zoneMatch = /\s*(?:(Z)|(?:GMT|UTC)\s*([+-]\d{1,2}(?::?\d{2})?)?|([+-]\d{2}:?\d{2}))$/i.exec(text);
  const beforeZone = zoneMatch ? text.slice(0, zoneMatch.index).trim() : "";
  // A bare "-2024" after a dashed date is the year, not an offset: offsets follow a time.
  const afterTime = /\d:\d{2}(:\d{2}([.,]\d+)?)?(\s*[AaPp][Mm])?$/.test(beforeZone);
  if (zoneMatch && zoneMatch[0].trim() !== "" && zoneMatch.index > 0 && (afterTime || !zoneMatch[3])) {
    if (zoneMatch[2] || zoneMatch[3]) offset = offsetMinutes((zoneMatch[2] ?? zoneMatch[3]) as string);
    else offset = 0;
    if (offset === null) return null;
    text = text.slice(0, zoneMatch.index).trim();
  }
  const time = /(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})([.,]\d+)?)?\s*([AaPp][Mm])?)?$/.exec(text);
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  let datePart = text;
  if (time?.[1] !== undefined) {
    h = Number(time[1]);
    mi = Number(time[2]);
    s = Number(time[3] ?? 0);
    ms = Math.round(Number(`0.${(time[4] ?? ".0").slice(1)}`) * 1000);
    const ampm = time[5]?.toLowerCase();
    if (ampm) {
      if (h < 1 || h > 12) return null;
      h = (h % 12) + (ampm === "pm" ? 12 : 0);
    }
    datePart = text.slice(0, time.index).trim();
  }
  const ymd = splitDate(datePart, order);
  if (!ymd) return null;
  const [y, mo, d] = ymd;
  const date = buildDate({ y, mo, d, h, mi, s }, { offset, timezone });
  return date && new Date(date.getTime() + ms);
}
