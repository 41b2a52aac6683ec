import { z } from "zod";
import { parseWindow } from "../metrics/funnel";
import { parseStep } from "../metrics/funnel-steps";
import type { FunnelMode, FunnelStepSpec } from "../metrics/funnel-trace";
import { allParams, buildQuery, firstParam, type SearchParams } from "./search";

export const FUNNEL_MODES = ["sequential", "strict", "any"] as const;

const many = z.preprocess(
  (v) => allParams(v as string | string[] | undefined),
  z.array(z.string().max(300)).max(12),
);
const one = z.preprocess(
  (v) => firstParam(v as string | string[] | undefined),
  z.string().max(200).optional(),
);

/**
 * The funnel page's URL: repeated `step` (`event` or `event[prop=value]`),
 * `window` (14d, 2h...), `mode`, repeated `exclude`, `breakdown` (a property),
 * plus the period keys. The builder writes exactly these.
 */
export const funnelParamsSchema = z.object({
  step: many,
  window: one,
  mode: z
    .preprocess((v) => firstParam(v as string | string[] | undefined), z.enum(FUNNEL_MODES).optional())
    .catch(undefined),
  exclude: many,
  breakdown: one,
});

export interface FunnelQuery {
  steps: FunnelStepSpec[];
  /** The steps as written in the URL (what the builder shows). */
  stepTexts: string[];
  windowText: string;
  windowMs: number;
  mode: FunnelMode;
  exclusions: string[];
  breakdown: string | undefined;
  /** Whether the URL named steps (else the page shows its default funnel). */
  custom: boolean;
  /** Why part of the URL was ignored, for the page to say. */
  problems: string[];
}

/** Read the funnel from the URL; malformed parts fall back to defaults with a reason, never an error page. */
export function readFunnelQuery(search: SearchParams, defaultSteps: readonly string[]): FunnelQuery {
  const raw = funnelParamsSchema.safeParse(search);
  const problems: string[] = [];
  const p = raw.success
    ? raw.data
    : { step: [], window: undefined, mode: undefined, exclude: [], breakdown: undefined };
  if (!raw.success) problems.push("The funnel in this link could not be read; showing the default funnel.");
  let stepTexts = p.step;
  let steps: FunnelStepSpec[] = [];
  if (stepTexts.length > 0) {
    try {
      if (stepTexts.length < 2 || stepTexts.length > 10) throw new RangeError("a funnel takes 2 to 10 steps");
      steps = stepTexts.map(parseStep);
    } catch (err) {
      problems.push(`${(err as Error).message}; showing the default funnel.`);
      stepTexts = [];
    }
  }
  const custom = steps.length > 0;
  if (!custom) {
    stepTexts = [...defaultSteps];
    steps = defaultSteps.map((event) => ({ event }));
  }
  let windowText = p.window ?? "14d";
  let windowMs: number;
  try {
    windowMs = parseWindow(windowText);
  } catch (err) {
    problems.push(`${(err as Error).message}; using 14d.`);
    windowText = "14d";
    windowMs = 14 * 86_400_000;
  }
  return {
    steps,
    stepTexts,
    windowText,
    windowMs,
    mode: p.mode ?? "sequential",
    exclusions: p.exclude,
    breakdown: p.breakdown,
    custom,
    problems,
  };
}

/** The URL params of a funnel definition (saved funnels load through this). */
export function funnelToQuery(def: {
  steps: readonly { event: string; filters?: readonly { property: string; op: string; value?: unknown }[] }[];
  windowSeconds: number;
  mode: string;
  exclusions?: readonly string[];
  breakdown?: string;
}): string {
  const stepText = (s: (typeof def.steps)[number]) => {
    if (!s.filters?.length) return s.event;
    const parts = s.filters.map((f) => {
      const v = f.value === undefined ? "" : String(f.value);
      if (f.op === "exists") return `${f.property}?`;
      return `${f.property}${f.op === "eq" ? "=" : f.op === "neq" ? "!=" : "~"}${v}`;
    });
    return `${s.event}[${parts.join("&")}]`;
  };
  const w = def.windowSeconds;
  const windowText =
    w % 86_400 === 0
      ? `${w / 86_400}d`
      : w % 3600 === 0
        ? `${w / 3600}h`
        : w % 60 === 0
          ? `${w / 60}m`
          : `${w}s`;
  return buildQuery({
    step: def.steps.map(stepText),
    window: windowText,
    mode: def.mode,
    exclude: def.exclusions ? [...def.exclusions] : undefined,
    breakdown: def.breakdown,
  });
}
