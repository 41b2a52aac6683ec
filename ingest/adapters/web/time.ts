import { TZDate } from "@date-fns/tz";

/**
 * An epoch number in whatever unit it is plausibly in: below 1e11 it is
 * seconds (1e11 s is the year 5138), below 1e14 milliseconds, below 1e17
 * microseconds (GA4), else nanoseconds. Fractions are kept to the millisecond.
 */
export function dateFromEpoch(n: number): Date {
  const abs = Math.abs(n);
  if (abs < 1e11) return new Date(Math.round(n * 1000));
  if (abs < 1e14) return new Date(Math.round(n));
  if (abs < 1e17) return new Date(Math.round(n / 1000));
  return new Date(Math.round(n / 1e6));
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const NUMERIC = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parse a timestamp: a Date, an epoch number (or numeric string, unit guessed
 * by size), or ISO 8601 with "T" or a space. A time without offset is read in
 * `zone` (an IANA name, "UTC" by default): Umami writes UTC without a zone,
 * generic CSV exports write local time. Returns null for anything else,
 * including impossible dates like February 30 that Date.parse would roll over.
 */
export function parseTimestamp(value: unknown, zone = "UTC"): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "number") return Number.isFinite(value) ? validDate(dateFromEpoch(value)) : null;
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (text === "") return null;
  if (NUMERIC.test(text)) return parseTimestamp(Number(text), zone);
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const parts = [Number(h), Number(mi), Number(s)] as const;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 60) return null;
  const ms = Math.round(Number(`0.${frac || "0"}`) * 1000);
  if (offset) {
    const o = offset.toUpperCase();
    let minutes = 0;
    if (o !== "Z" && o !== "UTC" && o !== "GMT") {
      const digits = o.slice(1).replace(":", "");
      minutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0")) * (o[0] === "-" ? -1 : 1);
    }
    const utc = Date.UTC(year, month - 1, day, parts[0], parts[1], parts[2], ms);
    return validDate(new Date(utc - minutes * 60_000));
  }
  if (zone === "UTC") return validDate(new Date(Date.UTC(year, month - 1, day, ...parts, ms)));
  const local = new TZDate(year, month - 1, day, parts[0], parts[1], parts[2], ms, zone);
  return validDate(new Date(local.getTime()));
}

function validDate(d: Date): Date | null {
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Whether an IANA zone name is known to this runtime. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
