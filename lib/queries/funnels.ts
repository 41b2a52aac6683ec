import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { computeFunnel, type FunnelResult } from "../metrics/funnel";
import type { FunnelEvent, FunnelMode, FunnelStepSpec } from "../metrics/funnel-trace";
import {
  formatDayNumber,
  parseDateKey,
  type ResolvedPeriod,
  weekStartOfDay,
} from "../metrics/period-resolve";
import { localDateKey } from "../metrics/periods";

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

export const DEFAULT_WINDOW_MS = 14 * 86_400_000;

export interface FunnelParams {
  product: ProductRef;
  /** 2 to 10 steps. */
  steps: FunnelStepSpec[];
  /** Entry range: actors enter with their first step-1 event in it. */
  period: ResolvedPeriod;
  windowMs?: number;
  mode?: FunnelMode;
  exclusions?: string[];
  breakdown?: string;
  /** Read every step event even when the SQL reduction applies (tests compare both ways). */
  fullScan?: boolean;
}

export interface FunnelReport extends FunnelResult {
  product: string;
  mode: FunnelMode;
  window_seconds: number;
}

/**
 * A funnel over the product's events. Reads each actor's events from the
 * range start to the range end plus the window (steps may complete after the
 * range, within the window), resolving actors through identities, then
 * applies the rules of lib/metrics/funnel-trace.ts. Strict mode reads every
 * event (any event between two steps breaks the chain); the other modes only
 * the step and exclusion events.
 */
export async function getFunnel(db: Db, params: FunnelParams): Promise<FunnelReport> {
  const { product, period, steps } = params;
  if (steps.length < 2 || steps.length > 10) throw new RangeError("a funnel has 2 to 10 steps");
  const windowMs = params.windowMs ?? DEFAULT_WINDOW_MS;
  const mode = params.mode ?? "sequential";
  const names = [...new Set([...steps.map((s) => s.event), ...(params.exclusions ?? [])])];
  const needsProps = steps.some((s) => s.filters?.length) || Boolean(params.breakdown);
  const until = new Date(period.end.getTime() + windowMs + 1);
  const nameFilter =
    mode === "strict"
      ? sql``
      : sql`and e.event in (${sql.join(
          names.map((n) => sql`${n}`),
          sql`, `,
        )})`;
  const first = steps[0] as FunnelStepSpec;
  // Sequential funnels only ever use an actor's first step-1 event in range and the other steps'
  // events inside their window: when step 1's event plays no other role, SQL keeps just those rows.
  const reducible =
    !params.fullScan &&
    mode === "sequential" &&
    !first.filters?.length &&
    !steps.slice(1).some((s) => s.event === first.event) &&
    !(params.exclusions ?? []).includes(first.event);
  const base = sql`select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor, e.timestamp as ts, e.id, e.event,
          ${needsProps ? sql`e.properties` : sql`null::jsonb`} as properties
        from events e
        left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
        where e.product_id = ${product.id} and e.type <> 'identify'
          and e.timestamp >= ${sqlTimestamp(period.start)} and e.timestamp < ${sqlTimestamp(until)}
          ${nameFilter}`;
  const query = reducible
    ? sql`with ev as (${base}),
          entry as (
            select actor, min(ts) as t0 from ev
            where event = ${first.event} and ts < ${sqlTimestamp(period.end)} group by actor
          )
          select ev.actor, (extract(epoch from ev.ts) * 1000)::float8 as t, ev.event, ev.properties
          from ev join entry on entry.actor = ev.actor
          where (ev.event = ${first.event} and ev.ts = entry.t0)
             or (ev.event <> ${first.event} and ev.ts >= entry.t0
                 and ev.ts <= entry.t0 + ${windowMs / 1000}::float8 * interval '1 second')
          order by ev.actor, ev.ts, ev.id`
    : sql`select ev.actor, (extract(epoch from ev.ts) * 1000)::float8 as t, ev.event, ev.properties
          from (${base}) ev order by ev.actor, ev.ts, ev.id`;
  const rows = await queryRows<{
    actor: string;
    t: number;
    event: string;
    properties: Record<string, unknown> | null;
  }>(db, query);
  const byActor = new Map<string, FunnelEvent[]>();
  for (const r of rows) {
    const list = byActor.get(r.actor) ?? [];
    list.push({ t: Number(r.t), event: r.event, properties: r.properties ?? undefined });
    byActor.set(r.actor, list);
  }
  const weeks: string[] = [];
  const lastWeek = parseDateKey(weekStartOfDay(period.lastDay, product.weekStart));
  for (let w = parseDateKey(weekStartOfDay(period.firstDay, product.weekStart)); w <= lastWeek; w += 7) {
    weeks.push(formatDayNumber(w));
  }
  const weekOf = (t: number) =>
    weekStartOfDay(localDateKey(new Date(t), product.timezone), product.weekStart);
  const result = computeFunnel(
    byActor.values(),
    {
      steps,
      windowMs,
      mode,
      exclusions: params.exclusions,
      breakdown: params.breakdown,
      rangeStart: period.start.getTime(),
      rangeEnd: period.end.getTime(),
    },
    weekOf,
    weeks,
  );
  return { product: product.slug, mode, window_seconds: windowMs / 1000, ...result };
}
