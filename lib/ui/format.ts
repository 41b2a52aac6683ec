import { formatCount } from "../metrics/format";

export { formatChangeRatio, formatCount } from "../metrics/format";

const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** 0.1234 -> "12.3%" (one decimal everywhere); null -> "–". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return "–";
  return `${decimal.format(ratio * 100)}%`;
}

/** A value already in percent (CSAT) -> "87.5%". */
export function formatPercentValue(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${decimal.format(value)}%`;
}

/** NPS points, signed: 23.4 -> "+23.4", -5 -> "-5.0". */
export function formatNps(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return `${value > 0 ? "+" : ""}${decimal.format(value)}`;
}

/** Net sentiment in [-1, 1] shown signed with two decimals: "+0.42". */
export function formatSentiment(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return `${value > 0 ? "+" : ""}${twoDecimals.format(value)}`;
}

/** A mean such as DAU or uses per adopter: counts keep their compact form, small means one decimal. */
export function formatMean(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return Math.abs(value) >= 100 ? formatCount(value) : decimal.format(value);
}

/** Seconds as "45s", "3m 20s", "2h 5m", "3d 4h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** The kinds of value a dashboard shows; tables and cards format by kind so every page agrees. */
export type ValueKind =
  | "count"
  | "mean"
  | "ratio"
  | "percent"
  | "nps"
  | "sentiment"
  | "seconds"
  | "score"
  | "text";

/** One formatter for every kind. */
export function formatValue(kind: ValueKind, value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (kind === "text") return String(value);
  const n = Number(value);
  if (!Number.isFinite(n)) return "–";
  switch (kind) {
    case "count":
      return formatCount(n);
    case "mean":
      return formatMean(n);
    case "ratio":
      return formatPercent(n);
    case "percent":
      return formatPercentValue(n);
    case "nps":
      return formatNps(n);
    case "sentiment":
      return formatSentiment(n);
    case "seconds":
      return formatDuration(n);
    case "score":
      return twoDecimals.format(n);
    default:
      return String(n);
  }
}
