import type { FunnelStepSpec } from "./funnel-trace";
import type { PropertyFilter } from "./property-filters";

const FILTER_RE = /^([^=!~?]+)(=|!=|~)(.*)$/;

/**
 * Parse one funnel step written as `event` or `event[prop=value]`; several
 * filters are joined by `&`: `=` equals, `!=` differs, `~` contains, `prop?`
 * exists. Throws RangeError with a message fit for the user.
 */
export function parseStep(text: string): FunnelStepSpec {
  const m = /^([^[\]]+)(?:\[(.*)\])?$/.exec(text.trim());
  if (!m) throw new RangeError(`step "${text}" is not like event or event[prop=value]`);
  const event = (m[1] as string).trim();
  if (!m[2]) return { event };
  const filters: PropertyFilter[] = m[2].split("&").map((part) => {
    const p = part.trim();
    if (p.endsWith("?")) return { property: p.slice(0, -1), op: "exists" };
    const f = FILTER_RE.exec(p);
    if (!f) throw new RangeError(`filter "${p}" is not like prop=value, prop!=value, prop~text or prop?`);
    const op = f[2] === "=" ? "eq" : f[2] === "!=" ? "neq" : "contains";
    return { property: (f[1] as string).trim(), op, value: f[3] as string };
  });
  return { event, filters };
}

/** Comma-separated steps; 2 to 10 of them. */
export function parseSteps(text: string): FunnelStepSpec[] {
  const steps = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseStep);
  if (steps.length < 2 || steps.length > 10) throw new RangeError("a funnel takes 2 to 10 steps");
  return steps;
}
