import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlList as list, sqlTimestamp } from "../../db/rows";
import { breakdownText, type FunnelPath, type FunnelStepSpec } from "../metrics/funnel-trace";
import { analyticalQuery } from "./analytical-query";
import { resolveActors } from "./funnel-actors";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

export interface SequentialFunnelQuery {
  productId: number;
  steps: readonly FunnelStepSpec[];
  /** Entry range [start, end). */
  start: Date;
  end: Date;
  windowMs: number;
  exclusions?: readonly string[];
  breakdown?: string;
  /**
   * Week boundaries in epoch ms (week i is [bounds[i], bounds[i + 1])). When
   * given, entrants who reach only step 1 come back counted per entry week
   * (and breakdown value) instead of one row each; their paths start at
   * their week's first instant, which is all a one-step path is read for.
   */
  weekBounds?: readonly number[];
  /**
   * The entry range as local days [firstDay, endDay) of the product's zone,
   * when [start, end) is exactly their instants (a resolved period): step-1
   * entrants then come from `event_actor_days.first_at` (one row per key and
   * day instead of every step-1 event) unless a breakdown needs the entry event.
   */
  entryDays?: { firstDay: string; endDay: string };
}

/**
 * Whether a funnel can be traced entirely in SQL by `traceSequentialInSql`:
 * sequential order, no property filters (the SQL and JS readings of a JSON
 * value differ in corner cases, so filters stay with the JS tracer), distinct
 * step events (so no event could fill two steps) and step 1 not excluded.
 */
export function canTraceInSql(params: {
  mode: string;
  steps: readonly FunnelStepSpec[];
  exclusions?: readonly string[];
}): boolean {
  const names = params.steps.map((s) => s.event);
  return (
    params.mode === "sequential" &&
    params.steps.every((s) => !s.filters?.length) &&
    new Set(names).size === names.length &&
    !(params.exclusions ?? []).includes(names[0] as string)
  );
}

const ms = (ts: SQL) => sql`(extract(epoch from ${ts}) * 1000)::float8`;

/**
 * The paths of a sequential funnel traced in SQL, the same as
 * lib/metrics/funnel-trace.ts gives for its funnels (see `canTraceInSql`):
 * an actor enters at their first step-1 event in [start, end); step k is
 * their earliest step-k event at or after step k-1 (equal timestamps count as
 * in order) and at most `windowMs` after entry; an exclusion event between
 * entry and the end of the attempt drops them.
 *
 * Step-1 events, usually most of them, are first reduced to their earliest
 * per person, from the `event_actor_days` rollup and its stored persons when
 * `entryDays` allows (else per sender key from raw events); the other steps'
 * events are resolved to persons (lib/queries/funnel-actors.ts), stacked with
 * those entries and grouped by person: no join between event sets, so the plan stays linear even
 * on an engine without statistics. Each step is then the least timestamp of
 * its event after the previous one. Returns one path per entrant.
 */
export async function traceSequentialInSql(db: Db, q: SequentialFunnelQuery): Promise<FunnelPath[]> {
  const names = q.steps.map((s) => s.event);
  const [first, ...later] = names as [string, ...string[]];
  const exclusions = [...new Set(q.exclusions ?? [])];
  const others = [...new Set([...later, ...exclusions])];
  const until = new Date(q.end.getTime() + q.windowMs + 1);
  const window = sql`${q.windowMs / 1000}::float8 * interval '1 second'`;
  const withBreakdown = q.breakdown !== undefined;
  const bounds = q.weekBounds ?? [];
  const grouped = bounds.length > 1;
  const bd = withBreakdown ? sql`p.bd` : sql`null::jsonb`;
  // With a breakdown, the entry event itself is needed: the least (microseconds, id) of each key finds it.
  const firstKey = withBreakdown
    ? sql`, min(array[extract(epoch from e.timestamp) * 1000000, e.id]::float8[]) as first`
    : sql``;
  const arrays = later.map(
    (name, k) => sql`, array_agg(x.ts) filter (where x.event = ${name}) as a${sql.raw(String(k))}`,
  );
  const chain = later.map((_, k) => {
    const prev = k === 0 ? sql`g.t0` : sql`c${sql.raw(String(k - 1))}.t`;
    const c = sql.raw(`c${k}`);
    const a = sql.raw(`g.a${k}`);
    // Most entrants never fire a later step: no array to unnest then.
    return sql`cross join lateral (
      select case when ${a} is null or ${prev} is null then null::timestamptz
        else (select min(v) from unnest(${a}) v where v >= ${prev} and v <= g.t0 + ${window}) end as t
    ) ${c}`;
  });
  const last = later.length ? sql`${sql.raw(`c${later.length - 1}`)}.t` : sql`null::timestamptz`;
  const excluded = exclusions.length
    ? sql`and not exists (
        select 1 from unnest(g.ax) v where v >= g.t0 and v <= coalesce(${last}, g.t0 + ${window}))`
    : sql``;
  // Each person's (rollup) or sender key's (raw events) first step-1 event in range: from the rollup
  // (its earliest per local day, with its stored person) when the range is whole local days and no
  // breakdown needs the event itself, else from the events.
  const fromRollup = q.entryDays !== undefined && !withBreakdown;
  const laterEvents = sql`select e.user_id, e.anonymous_id, e.timestamp as ts, e.event ${withBreakdown ? sql`, null::float8[] as first` : sql``}
        from events e
        where e.product_id = ${q.productId} and e.type <> 'identify' and e.event in (${list(others)})
          and e.timestamp >= ${sqlTimestamp(q.start)} and e.timestamp < ${sqlTimestamp(until)}`;
  const columns = ["ts", "event", ...(withBreakdown ? ["first"] : [])];
  const stacked =
    fromRollup && q.entryDays
      ? sql`k as (
      select ${STORED_ACTOR} as actor, min(r.first_at) as t0
      from event_actor_days r ${PENDING_LINK_JOIN}
      where r.product_id = ${q.productId} and r.event = ${first}
        and r.day >= ${q.entryDays.firstDay}::date and r.day < ${q.entryDays.endDay}::date
      group by 1
    ),
    x as (
      select k.actor, k.t0 as ts, null::text as event from k
      ${others.length ? sql`union all select * from (${resolveActors(q.productId, laterEvents, columns)}) o` : sql``}
    ),`
      : sql`k as (
      select e.user_id, e.anonymous_id, min(e.timestamp) as t0 ${firstKey}
      from events e
      where e.product_id = ${q.productId} and e.type <> 'identify' and e.event = ${first}
        and e.timestamp >= ${sqlTimestamp(q.start)} and e.timestamp < ${sqlTimestamp(q.end)}
      group by e.user_id, e.anonymous_id
    ),
    x as (${resolveActors(
      q.productId,
      sql`select k.user_id, k.anonymous_id, k.t0 as ts, null::text as event ${withBreakdown ? sql`, k.first` : sql``}
        from k
        ${others.length ? sql`union all ${laterEvents}` : sql``}`,
      columns,
    )}),`;
  const query = sql`
    with ${stacked}
    g as (
      select min(x.ts) filter (where x.event is null) as t0 ${sql.join(arrays, sql` `)}
        ${exclusions.length ? sql`, array_agg(x.ts) filter (where x.event in (${list(exclusions)})) as ax` : sql``}
        ${withBreakdown ? sql`, min(x.first) as first` : sql``}
      from x group by x.actor collate "C"
    )
    select ${ms(sql`g.t0`)} as t0
      ${sql.join(
        later.map((_, k) => sql`, ${ms(sql`${sql.raw(`c${k}`)}.t`)} as ${sql.raw(`t${k + 1}`)}`),
        sql` `,
      )}
      ${withBreakdown ? sql`, b.properties -> ${q.breakdown as string} as bd` : sql``}
      ${
        grouped
          ? sql`, width_bucket(g.t0, array[${sql.join(
              bounds.map((b) => sqlTimestamp(new Date(b))),
              sql`, `,
            )}]::timestamptz[]) as wk`
          : sql``
      }
    from g
    ${sql.join(chain, sql` `)}
    ${
      withBreakdown
        ? sql`left join events b on b.id = (g.first[2])::bigint and b.product_id = ${q.productId}`
        : sql``
    }
    where g.t0 is not null ${excluded}`;
  const rows = await analyticalQuery<Record<string, unknown>>(db, grouped ? groupSingleSteps(query) : query);
  const paths: FunnelPath[] = [];
  for (const r of rows) {
    const breakdownValue = withBreakdown ? breakdownText(r.bd) : null;
    if (r.wk !== null && r.wk !== undefined) {
      const entryT = bounds[Number(r.wk) - 1] as number;
      for (let i = 0; i < Number(r.n); i++) paths.push({ entryT, times: [entryT], breakdownValue });
      continue;
    }
    const times = [Number(r.t0)];
    for (let k = 1; k < names.length; k++) {
      const t = r[`t${k}`];
      if (t === null || t === undefined) break;
      times.push(Number(t));
    }
    paths.push({ entryT: times[0] as number, times, breakdownValue });
  }
  return paths;

  /** Entrants who reach only step 1, counted per entry week and breakdown value. */
  function groupSingleSteps(perEntrant: SQL): SQL {
    const cols = sql.raw(["t0", ...later.map((_, k) => `t${k + 1}`)].map((c) => `p.${c}`).join(", "));
    const nulls = sql.raw(
      ["t0", ...later.map((_, k) => `t${k + 1}`)].map((c) => `null::float8 as ${c}`).join(", "),
    );
    const valid = sql`p.wk between 1 and ${bounds.length - 1}`;
    return sql`with p as (${perEntrant})
      select ${cols}, ${bd} as bd, 1 as n, null::int as wk from p where p.t1 is not null or not (${valid})
      union all
      select ${nulls}, ${bd}, count(*)::int, p.wk from p where p.t1 is null and ${valid} group by p.wk, ${bd}`;
  }
}
