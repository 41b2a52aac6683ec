import { matchesFilters, type PropertyFilter } from "./property-filters";

export type FunnelMode = "sequential" | "strict" | "any";

export interface FunnelStepSpec {
  event: string;
  filters?: PropertyFilter[];
}

/** What decides who enters a funnel and how far they get. */
export interface FunnelSpec {
  steps: FunnelStepSpec[];
  /** Conversion window, measured from the actor's first step-1 event in range. */
  windowMs: number;
  mode: FunnelMode;
  /** Event names that drop the actor when done during their attempt. */
  exclusions?: string[];
  /** Property whose value at the entry event splits the breakdown. */
  breakdown?: string;
  /** Entry range [rangeStart, rangeEnd) in epoch ms: only step-1 events in it start a funnel. */
  rangeStart: number;
  rangeEnd: number;
}

/** One actor's activity event for funnels (identify events are not activity). */
export interface FunnelEvent {
  t: number;
  event: string;
  properties?: Record<string, unknown>;
}

/** How far one actor got: `times[k]` is when step k+1 was reached; `times.length` steps were reached. */
export interface FunnelPath {
  entryT: number;
  times: number[];
  breakdownValue: string | null;
}

function matchesStep(e: FunnelEvent, step: FunnelStepSpec): boolean {
  return (
    e.event === step.event && (!step.filters?.length || matchesFilters(e.properties ?? {}, step.filters))
  );
}

/** Sequential: each step is the earliest matching event at or after the previous step, other events allowed between. */
function traceSequential(events: FunnelEvent[], spec: FunnelSpec, entry: number, deadline: number): number[] {
  const times = [(events[entry] as FunnelEvent).t];
  const used = new Set([entry]);
  for (let k = 1; k < spec.steps.length; k++) {
    const prevT = times[k - 1] as number;
    let found = -1;
    for (let j = 0; j < events.length; j++) {
      const e = events[j] as FunnelEvent;
      if (e.t > deadline) break;
      // Steps at the same timestamp count as in order: the sender's clock cannot tell them apart.
      if (e.t < prevT || used.has(j) || !matchesStep(e, spec.steps[k] as FunnelStepSpec)) continue;
      found = j;
      break;
    }
    if (found < 0) break;
    used.add(found);
    times.push((events[found] as FunnelEvent).t);
  }
  return times;
}

/** Strict: each step must be the actor's very next event after the previous step. */
function traceStrict(events: FunnelEvent[], spec: FunnelSpec, entry: number, deadline: number): number[] {
  const times = [(events[entry] as FunnelEvent).t];
  for (let k = 1; k < spec.steps.length; k++) {
    const next = events[entry + k];
    if (!next || next.t > deadline || !matchesStep(next, spec.steps[k] as FunnelStepSpec)) break;
    times.push(next.t);
  }
  return times;
}

/** Any order: the n-th step is reached when the actor has done n different steps within the window. */
function traceAnyOrder(events: FunnelEvent[], spec: FunnelSpec, entry: number, deadline: number): number[] {
  const done = new Set<number>();
  const times: number[] = [];
  for (let j = entry; j < events.length; j++) {
    const e = events[j] as FunnelEvent;
    if (e.t > deadline) break;
    const k = spec.steps.findIndex((s, i) => !done.has(i) && matchesStep(e, s));
    if (k < 0) continue;
    done.add(k);
    times.push(e.t);
  }
  return times;
}

/**
 * Follow one actor through the funnel. The actor enters at their first step-1
 * event inside the range (in "any" mode: the first event of any step); later
 * steps count until entry + window (inclusive), even past the range end. An
 * exclusion event between entry and the end of the attempt (the last step when
 * all were reached, else the window's end) drops the actor from every step.
 * Returns null when the actor does not enter or is excluded.
 */
export function traceFunnelPath(actorEvents: readonly FunnelEvent[], spec: FunnelSpec): FunnelPath | null {
  const events = actorEvents
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
    .map((x) => x.e);
  const opensFunnel = (e: FunnelEvent) =>
    spec.mode === "any"
      ? spec.steps.some((s) => matchesStep(e, s))
      : matchesStep(e, spec.steps[0] as FunnelStepSpec);
  const entry = events.findIndex((e) => e.t >= spec.rangeStart && e.t < spec.rangeEnd && opensFunnel(e));
  if (entry < 0) return null;
  const entryEvent = events[entry] as FunnelEvent;
  const deadline = entryEvent.t + spec.windowMs;
  const trace = spec.mode === "strict" ? traceStrict : spec.mode === "any" ? traceAnyOrder : traceSequential;
  const times = trace(events, spec, entry, deadline);
  const exclusions = new Set(spec.exclusions ?? []);
  if (exclusions.size > 0) {
    const endT = times.length === spec.steps.length ? (times[times.length - 1] as number) : deadline;
    if (events.some((e) => exclusions.has(e.event) && e.t >= entryEvent.t && e.t <= endT)) return null;
  }
  const breakdownValue = spec.breakdown ? breakdownText(entryEvent.properties?.[spec.breakdown]) : null;
  return { entryT: entryEvent.t, times, breakdownValue };
}

/** A breakdown property's value as text (as `properties->>'key'` reads it); null when absent. */
export function breakdownText(raw: unknown): string | null {
  return raw === undefined || raw === null
    ? null
    : typeof raw === "object"
      ? JSON.stringify(raw)
      : String(raw);
}
