import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlTimestamp } from "../../db/rows";
import type { AdoptionCounts } from "../metrics/adoption";
import type { AdoptionPlan, FeatureDefinition, PlannedCounts } from "./adoption-plan";
import { filterCondition } from "./feature-activity";
import { resolveActors } from "./funnel-actors";
import { queryRowsWithoutJit } from "./funnel-statement";

/** Day bounds of a scope as a condition on the date expression `day` ([firstDay, endDay)). */
function dayIn(day: SQL, scope: { firstDay?: string; endDay?: string }): SQL {
  const parts: SQL[] = [];
  if (scope.firstDay) parts.push(sql`${day} >= ${scope.firstDay}::date`);
  if (scope.endDay) parts.push(sql`${day} < ${scope.endDay}::date`);
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

/** Instant bounds of a scope as a condition on `e.timestamp` ([start, end)). */
function instantIn(scope: { start?: Date; end?: Date }): SQL {
  const parts: SQL[] = [];
  if (scope.start) parts.push(sql`e.timestamp >= ${sqlTimestamp(scope.start)}`);
  if (scope.end) parts.push(sql`e.timestamp < ${sqlTimestamp(scope.end)}`);
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

function plainFeatures(features: readonly FeatureDefinition[]): FeatureDefinition[] {
  return features.filter((f) => f.filters.length === 0 && f.eventNames.length > 0);
}

function filteredFeatures(features: readonly FeatureDefinition[]): FeatureDefinition[] {
  return features.filter((f) => f.filters.length > 0 && f.eventNames.length > 0);
}

/**
 * The plain features' event names, and `m.key` for each feature a rollup row
 * `r` of one of them belongs to: a CASE on the event name, unnested, rather
 * than a join (an event may belong to several features).
 */
function eventMap(features: readonly FeatureDefinition[]): { keysOf: SQL; events: SQL } {
  const names = [...new Set(features.flatMap((f) => f.eventNames))];
  const whens = names.map((e) => {
    const keys = features.filter((f) => f.eventNames.includes(e)).map((f) => sql`${f.key}`);
    return sql`when ${e} then array[${sql.join(keys, sql`, `)}]::text[]`;
  });
  return {
    keysOf: sql`cross join lateral unnest(case r.event ${sql.join(whens, sql` `)} end) as m(key)`,
    events: sql.join(
      names.map((e) => sql`${e}`),
      sql`, `,
    ),
  };
}

/**
 * A text column compared byte by byte: the same groups (equality is byte
 * equality in every deterministic collation), but a PostgreSQL database in
 * `C.UTF-8` otherwise sorts and groups these keys with `strcoll`, and the
 * collation carries through the union to the actor and key grouped by
 * person and the window over each actor.
 */
function C(column: string): SQL {
  return sql.raw(`${column} collate "C"`);
}

/**
 * CTEs `cand` (the period's adopters who did not use the feature in the days
 * read before the period, from `f`) and `old` (those of them who used a plain
 * feature, no property filters, before day `day` anyway), by index probes into
 * `event_key_first_days` over the keys that resolve to each candidate: their
 * user id, the anonymous ids identified as them, and their own anonymous id
 * unless it was identified (as actorFirstDaySql resolves first days). One
 * lateral probe per candidate person for all their features (a nested loop by
 * construction, whatever the estimates). Features with filters have no rows in
 * `old`: the statement reads their raw events back to the first.
 */
function earlierUse(
  productId: number,
  plain: readonly FeatureDefinition[],
  day: string,
  bits: { CUR: number; BEFORE: number },
): SQL {
  const pairs = plain.flatMap((f) => f.eventNames.map((e) => sql`(${f.key}, ${e})`));
  const first = sql`u.first_day < ${day}::date`;
  const old = pairs.length
    ? sql`select distinct c.actor, fe.key
        from (select distinct cand.actor from cand) c
        cross join lateral (
          select u.event from event_key_first_days u
          where u.product_id = ${productId} and u.user_id = c.actor and u.anonymous_id = '' and ${first}
          union all
          select u.event from identities i
            join event_key_first_days u on u.product_id = i.product_id and u.user_id = '' and u.anonymous_id = i.anonymous_id
          where i.product_id = ${productId} and i.user_id = c.actor and ${first}
          union all
          select u.event from event_key_first_days u
          where u.product_id = ${productId} and u.user_id = '' and u.anonymous_id = c.actor and ${first}
            and not exists (select 1 from identities i where i.product_id = ${productId} and i.anonymous_id = c.actor)
        ) ev
        join (values ${sql.join(pairs, sql`, `)}) fe(key, event) on fe.event = ev.event`
    : sql`select null::text as actor, null::text as key where false`;
  return sql`cand as materialized (
      select f.actor collate "default" as actor, f.key collate "default" as key from f
      where f.key is not null and f.mask & ${bits.CUR} <> 0 and f.mask & ${bits.BEFORE} = 0
    ),
    old as (${old})`;
}

/** Raw events of a feature with property filters (the rollup has no properties). */
function filteredEvents(productId: number, f: FeatureDefinition): SQL {
  return sql`e.product_id = ${productId} and e.type <> 'identify'
    and e.event in (${sql.join(
      f.eventNames.map((n) => sql`${n}`),
      sql`, `,
    )}) and ${sql.join(f.filters.map(filterCondition), sql` and `)}`;
}

/**
 * Adoption counts of every feature of a plan in one statement, instead of
 * several per feature. Each row of activity (`session_pieces`, as
 * activityRows reads it), of use of the features without property filters
 * (`event_actor_days`) and of use of those with filters (raw events) becomes
 * a bit mask of where its day falls (a trend week, the period, the previous
 * period, before the period). Only the days of the trend and both periods are
 * read, except for features with filters (their raw events back to the first);
 * whether an adopter of a plain feature used it before is probed per adopter
 * (`earlierUse`). Activity rows are reduced per sender key (use
 * rows of the rollup are not: one sort of ~840,000 rows less at 10M events),
 * resolved to actors once (lib/queries/funnel-actors.ts), and their masks OR-ed
 * per actor and feature, grouped by the keys `collate "C"`. Activity and use are never joined, so the plan stays linear
 * even on an engine without planner statistics. Previous adopters are a
 * subset of the previous period's active actors (using a feature is
 * activity), so non-adopters are counted by difference. Equal to the naive
 * lib/queries/adoption-raw.ts (tests compare them).
 */
export async function countAdoptionGrouped(db: Db, plan: AdoptionPlan): Promise<PlannedCounts> {
  const { cur, prev, span, productId } = plan;
  const first = span.firstDay as string;
  // Mask bits 0 to weeks - 1: the trend's weeks; then the period, the previous period, before the period.
  const weeks = plan.weeks.length;
  const [CUR, PREV, BEFORE] = [1 << weeks, 1 << (weeks + 1), 1 << (weeks + 2)];
  const dayMask = (
    day: SQL,
  ) => sql`(case when ${dayIn(day, span)} then 1 << ((${day} - ${first}::date) / 7) else 0 end
    | case when ${dayIn(day, cur)} then ${CUR} else 0 end | case when ${dayIn(day, prev)} then ${PREV} else 0 end
    | case when ${day} < ${cur.firstDay}::date then ${BEFORE} else 0 end)`;
  const day = sql.raw("r.day");
  // Every day any figure looks at: the trend's weeks, the period and the one before (adjacent, overlapping).
  const lo = [span.firstDay, prev.firstDay].sort()[0] as string;
  const hi = [span.endDay, cur.endDay].sort()[1] as string;
  const keys: SQL[] = [
    sql`select ${C("r.user_id")} as user_id, ${C("r.anonymous_id")} as anonymous_id, null::text as key,
        ${dayMask(day)} as mask, 0::bigint as uses
      from session_pieces r
      where r.product_id = ${productId} and r.day >= ${lo}::date and r.day < ${hi}::date`,
  ];
  const plain = plainFeatures(plan.features);
  if (plain.length) {
    const { keysOf, events } = eventMap(plain);
    // Use within the days read; earlier use (is an adopter new?) is probed per adopter below.
    // One row per key, day and event, not grouped per key here: the grouping per person below
    // ORs and sums them anyway, and one sort of these rows less is much of the statement at 10M.
    keys.push(sql`select ${C("r.user_id")}, ${C("r.anonymous_id")}, ${C("m.key")}, ${dayMask(day)},
        case when ${dayIn(day, cur)} then r.events else 0 end
      from event_actor_days r ${keysOf}
      where r.product_id = ${productId} and r.event in (${events}) and r.day >= ${lo}::date and r.day < ${hi}::date`);
  }
  for (const f of filteredFeatures(plan.features)) {
    const local = sql`(e.timestamp at time zone ${span.zone})::date`;
    const bit = (cond: SQL, value: number | SQL) => sql`case when ${cond} then ${value} else 0 end`;
    keys.push(sql`select ${C("e.user_id")}, ${C("e.anonymous_id")}, ${f.key}::text collate "C",
        bit_or(${bit(instantIn(span), sql`1 << ((${local} - ${first}::date) / 7)`)} | ${bit(instantIn(cur), CUR)}
          | ${bit(instantIn(prev), PREV)} | ${bit(instantIn({ end: cur.start }), BEFORE)}),
        count(*) filter (where ${instantIn(cur)})
      from events e
      where ${filteredEvents(productId, f)} and e.timestamp < ${sqlTimestamp(
        new Date(Math.max(cur.end?.getTime() ?? 0, span.end?.getTime() ?? 0)),
      )}
      group by 1, 2`);
  }
  const resolved = resolveActors(productId, sql.join(keys, sql` union all `), ["key", "mask", "uses"]);
  // One row per feature (and one, key null, for activity), counted with filters: no row per (key, bit).
  const perBit = Array.from(
    { length: weeks + 2 },
    (_, i) => sql`(count(*) filter (where f.mask & ${1 << i} <> 0))::int`,
  );
  const rows = await queryRowsWithoutJit<{
    key: string | null;
    /** Distinct actors per mask bit (trend weeks, the period, the previous period). */
    n: number[] | string;
    retained: number;
    uses: number;
    fresh: number;
  }>(
    db,
    sql`with a as (
          select s.actor, s.key, bit_or(s.mask) as mask, sum(s.uses) as uses
          from (${resolved}) s group by s.actor, s.key
          having bit_or(s.mask) & ${BEFORE - 1} <> 0 -- used before the period only: counts nowhere
        ),
        f as (
          select a.*, max(case when a.key is null then a.mask end) over (partition by a.actor) as active
          from a
        ),
        ${earlierUse(productId, plain, cur.firstDay as string, { CUR, BEFORE })},
        fresh as (
          select c.key, count(*)::int as n from cand c
          where not exists (select 1 from old o where o.actor = c.actor and o.key = c.key)
          group by c.key
        )
        select g.*, coalesce(fr.n, 0) as fresh
        from (
          select f.key collate "default" as key, array[${sql.join(perBit, sql`, `)}] as n,
            (count(*) filter (where f.mask & ${PREV} <> 0 and f.active & ${CUR} <> 0))::int as retained,
            coalesce(sum(f.uses) filter (where f.mask & ${CUR} <> 0), 0)::int as uses
          from f group by f.key
        ) g
        left join fresh fr on fr.key = g.key`,
  );
  const byKey = new Map(
    rows.map((r) => {
      const n = (typeof r.n === "string" ? r.n.replace(/[{}]/g, "").split(",") : r.n).map(Number);
      return [r.key, { ...r, n }] as const;
    }),
  );
  const activity = byKey.get(null);
  const active = activity?.n[weeks] ?? 0;
  const previousActive = activity?.n[weeks + 1] ?? 0;
  const previousActiveRetained = Number(activity?.retained ?? 0);
  const counts = new Map<string, AdoptionCounts>();
  const previousAdopters = new Map<string, number>();
  const weeklyActive = new Map<string, number>();
  const weeklyAdopters = new Map<string, Map<string, number>>();
  for (const [i, week] of plan.weeks.entries()) weeklyActive.set(week.firstDay, activity?.n[i] ?? 0);
  for (const f of plan.features) {
    const r = byKey.get(f.key);
    const pa = r?.n[weeks + 1] ?? 0;
    const par = Number(r?.retained ?? 0);
    counts.set(f.key, {
      adopters: r?.n[weeks] ?? 0,
      active,
      newAdopters: Number(r?.fresh ?? 0),
      uses: Number(r?.uses ?? 0),
      previousAdopters: pa,
      previousAdoptersRetained: par,
      previousNonAdopters: previousActive - pa,
      previousNonAdoptersRetained: previousActiveRetained - par,
    });
    previousAdopters.set(f.key, pa);
    weeklyAdopters.set(f.key, new Map(plan.weeks.map((w, i) => [w.firstDay, r?.n[i] ?? 0])));
  }
  return { counts, weeklyActive, weeklyAdopters, previousAdopters, previousActive };
}
