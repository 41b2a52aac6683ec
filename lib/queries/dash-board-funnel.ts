import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { type FunnelStepResult, summarizeFunnelSteps } from "../metrics/funnel";
import {
  type FunnelEvent,
  type FunnelMode,
  type FunnelPath,
  type FunnelSpec,
  type FunnelStepSpec,
  traceFunnelPath,
} from "../metrics/funnel-trace";
import { formatDayNumber, parseDateKey, type ResolvedPeriod } from "../metrics/period-resolve";
import { DEFAULT_WINDOW_MS, getFunnel } from "./funnels";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

/**
 * The person of a raw event `e`: its user id, else the user id its anonymous
 * id is linked to (one index probe, for anonymous events only: the few
 * thousand events read here, rather than hashing all of the product's links
 * for each set of events), else the anonymous id.
 */
const RAW_ACTOR = sql.raw(`coalesce(e.user_id,
  (select i.user_id from identities i where i.product_id = e.product_id and i.anonymous_id = e.anonymous_id),
  e.anonymous_id)`);

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

export interface FunnelStepsParams {
  product: ProductRef;
  /** 2 to 10 steps. */
  steps: FunnelStepSpec[];
  windowMs?: number;
  mode?: FunnelMode;
  exclusions?: string[];
  /** Entry ranges, e.g. the period and the one before. */
  periods: readonly ResolvedPeriod[];
}

/**
 * Whether a funnel's step counts can be read the cheap way: sequential, step 1
 * without property filters, and step 1's event playing no other role (not a
 * later step, not an exclusion). The same condition as getFunnel's SQL reduction.
 */
export function stepCountsReducible(p: Pick<FunnelStepsParams, "steps" | "mode" | "exclusions">): boolean {
  const first = p.steps[0];
  if (!first || (p.mode ?? "sequential") !== "sequential" || first.filters?.length) return false;
  return (
    !p.steps.slice(1).some((s) => s.event === first.event) && !(p.exclusions ?? []).includes(first.event)
  );
}

/**
 * The per-step results of one funnel (getFunnel's `steps`: counts,
 * conversions, drop-off, time to convert) for several entry periods at once,
 * as the KPI board's "top movers" need them. Exactly getFunnel's numbers, in
 * one statement instead of one raw-event scan per period:
 *
 * - who enters in a period (step 1 count before exclusions) is the number of
 *   persons with a step-1 event in it, and each one's first step-1 instant
 *   there is the least `first_at` of their rows: both from one read of the
 *   `event_actor_days` rollup with its stored persons;
 * - only "candidates", persons with a later-step or exclusion event somewhere in
 *   the periods plus the window, can get past step 1 or be excluded: their
 *   events of those names are read from raw events, and traced with
 *   lib/metrics/funnel-trace.ts from their first step-1 instants, as getFunnel does;
 * - every other entrant reaches step 1 only.
 *
 * Funnels outside the reducible shape (strict or any-order mode, filters on
 * step 1, step 1 reused) fall back to getFunnel per period.
 */
export async function getFunnelStepsForPeriods(
  db: Db,
  params: FunnelStepsParams,
): Promise<FunnelStepResult[][]> {
  const { product, steps, periods } = params;
  if (steps.length < 2 || steps.length > 10) throw new RangeError("a funnel has 2 to 10 steps");
  const windowMs = params.windowMs ?? DEFAULT_WINDOW_MS;
  const mode = params.mode ?? "sequential";
  if (periods.length === 0) return [];
  if (!stepCountsReducible(params)) {
    const out: FunnelStepResult[][] = [];
    for (const period of periods) {
      const r = await getFunnel(db, {
        product,
        steps,
        windowMs,
        mode,
        exclusions: params.exclusions,
        period,
      });
      out.push(r.steps);
    }
    return out;
  }
  const first = (steps[0] as FunnelStepSpec).event;
  const others = [...new Set([...steps.slice(1).map((s) => s.event), ...(params.exclusions ?? [])])];
  const needsProps = steps.some((s) => s.filters?.length);
  const lo = new Date(Math.min(...periods.map((p) => p.start.getTime())));
  const entryEnd = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  const until = new Date(entryEnd.getTime() + windowMs + 1);
  const dayAfter = (p: ResolvedPeriod) => formatDayNumber(parseDateKey(p.lastDay) + 1);
  const firstDay = periods.map((p) => p.firstDay).sort()[0] as string;
  const endDay = periods.map(dayAfter).sort().at(-1) as string;
  // Each person's first step-1 instant per period: the least `first_at` of their rollup rows of the
  // period's days (periods are whole local days, and a row's `first_at` is its key's first such event
  // that day).
  const entryCols = sql.join(
    periods.map(
      (p, i) =>
        sql`(extract(epoch from min(r.first_at) filter (where r.day >= ${p.firstDay}::date
              and r.day < ${dayAfter(p)}::date)) * 1000)::float8 as ${sql.raw(`t${i}`)}`,
    ),
    sql`, `,
  );
  const enteredCols = sql.join(
    periods.map((_, i) => sql`count(e1.${sql.raw(`t${i}`)})::int as ${sql.raw(`n${i}`)}`),
    sql`, `,
  );
  const entryRows = sql.join(
    periods.map((_, i) => sql`f.${sql.raw(`t${i}`)}`),
    sql`, `,
  );
  const nullTimes = (named: boolean) =>
    sql.join(
      periods.map((_, i) => (named ? sql`null::float8 as ${sql.raw(`t${i}`)}` : sql`null::float8`)),
      sql`, `,
    );
  const nullCounts = (named: boolean) =>
    sql.join(
      periods.map((_, i) => (named ? sql`null::int as ${sql.raw(`n${i}`)}` : sql`null::int`)),
      sql`, `,
    );
  const countCols = sql.join(
    periods.map((_, i) => sql`n.${sql.raw(`n${i}`)}`),
    sql`, `,
  );
  // Row kinds: 1 = one candidate event (later step or exclusion), 2 = a candidate's first
  // step-1 instant per period (t0, t1, ...), 3 = the entrants per period (n0, n1, ...).
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with o as (${sql.join(
      others.map(
        (name) => sql`select ${RAW_ACTOR} as actor, e.timestamp as ts, e.id,
            e.event, ${needsProps ? sql`e.properties` : sql`null::jsonb`} as properties
          from events e
          where e.product_id = ${product.id} and e.type <> 'identify' and e.event = ${name}
            and e.timestamp >= ${sqlTimestamp(lo)} and e.timestamp < ${sqlTimestamp(until)}`,
      ),
      sql` union all `,
    )}), e1 as (
          select ${STORED_ACTOR} as actor, ${entryCols}
          from event_actor_days r ${PENDING_LINK_JOIN}
          where r.product_id = ${product.id} and r.event = ${first}
            and r.day >= ${firstDay}::date and r.day < ${endDay}::date
          group by 1
        ), f as (
          select * from e1 where e1.actor in (select o.actor from o)
        ), n as (
          select ${enteredCols} from e1
        )
        select 1 as kind, o.actor, (extract(epoch from o.ts) * 1000)::float8 as t, o.id, o.event, o.properties,
          ${nullTimes(true)}, ${nullCounts(true)}
        from o
        union all
        select 2, f.actor, null, null, null, null, ${entryRows}, ${nullCounts(false)}
        from f
        union all
        select 3, null, null, null, null, null, ${nullTimes(false)}, ${countCols} from n
        order by 1, 2, 3, 4`,
  );
  const entered = periods.map(() => 0);
  const entries = new Map<string, (number | null)[]>();
  const eventsOf = new Map<string, FunnelEvent[]>();
  for (const r of rows) {
    const kind = Number(r.kind);
    if (kind === 3) {
      periods.forEach((_, i) => {
        entered[i] = Number(r[`n${i}`] ?? 0);
      });
    } else if (kind === 2) {
      entries.set(
        String(r.actor),
        periods.map((_, i) => (r[`t${i}`] === null || r[`t${i}`] === undefined ? null : Number(r[`t${i}`]))),
      );
    } else {
      const actor = String(r.actor);
      const list = eventsOf.get(actor) ?? [];
      const props = r.properties as Record<string, unknown> | null;
      list.push({ t: Number(r.t), event: String(r.event), properties: props ?? undefined });
      eventsOf.set(actor, list);
    }
  }
  const names = steps.map((s) => s.event);
  return periods.map((period, i) => {
    const spec: FunnelSpec = {
      steps,
      windowMs,
      mode,
      exclusions: params.exclusions,
      rangeStart: period.start.getTime(),
      rangeEnd: period.end.getTime(),
    };
    const paths: FunnelPath[] = [];
    let candidates = 0;
    for (const [actor, times] of entries) {
      const t0 = times[i];
      const later = eventsOf.get(actor);
      // The raw-key filter may let through an entrant without later events: such an actor is a plain entrant.
      if (t0 === null || t0 === undefined || !later) continue;
      candidates += 1;
      const path = traceFunnelPath([{ t: t0, event: first }, ...later], spec);
      if (path) paths.push(path);
    }
    // Entrants without a later-step or exclusion event reach step 1 only (their entry instant plays no part).
    const plain = (entered[i] ?? 0) - candidates;
    for (let n = 0; n < plain; n++)
      paths.push({ entryT: Number.NaN, times: [Number.NaN], breakdownValue: null });
    return summarizeFunnelSteps(paths, names);
  });
}
