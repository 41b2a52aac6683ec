import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlIn, sqlList, sqlTimestamp } from "../../db/rows";
import type { AdoptionCounts } from "../metrics/adoption";
import type { AdoptionPlan, FeatureDefinition, PlannedCounts } from "./adoption-plan";
import { analyticalQuery } from "./analytical-query";
import { filterCondition } from "./feature-activity";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

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
 * `r` of one of them belongs to: a CASE on the event name (unnested when an
 * event belongs to several features) rather than a join.
 */
function eventMap(features: readonly FeatureDefinition[]): { keysOf: SQL; key: SQL; events: SQL } {
  const names = [...new Set(features.flatMap((f) => f.eventNames))];
  const keysOfName = names.map((e) => features.filter((f) => f.eventNames.includes(e)).map((f) => f.key));
  const events = sqlList(names);
  if (keysOfName.every((keys) => keys.length === 1)) {
    // One feature per event: the key is the CASE itself, one row per rollup row.
    const whens = names.map((e, i) => sql`when ${e} then ${keysOfName[i]?.[0]}::text`);
    return { keysOf: sql``, key: sql`(case r.event ${sql.join(whens, sql` `)} end)`, events };
  }
  const whens = names.map(
    (e, i) =>
      sql`when ${e} then array[${sql.join(
        (keysOfName[i] ?? []).map((k) => sql`${k}`),
        sql`, `,
      )}]::text[]`,
  );
  return {
    keysOf: sql`cross join lateral unnest(case r.event ${sql.join(whens, sql` `)} end) as m(key)`,
    key: sql.raw("m.key"),
    events,
  };
}

/**
 * CTEs `cand` (the period's adopters who did not use the feature in the days
 * read before the period, from `f`) and `old` (those of them who used it
 * earlier anyway, before day `day` / instant `before`, the first of the days
 * read), over the keys that resolve to each candidate: their user id, the
 * anonymous ids identified as them, and their own anonymous id unless it was
 * identified (as actorFirstDaySql resolves first days).
 * - Plain features (no property filters): index probes into
 *   `event_key_first_days` by stored person, one lateral probe per candidate
 *   for all their features (a nested loop by construction, whatever the
 *   estimates), plus the keys of the candidates' pending links.
 * - Features with filters: the feature's earlier raw events are read from the
 *   (product, event, time) index, which holds the sender ids, matched to the
 *   candidates' keys, and only the matches are fetched to test the filters.
 */
function earlierUse(
  productId: number,
  features: { plain: readonly FeatureDefinition[]; filtered: readonly FeatureDefinition[] },
  day: string,
  before: Date,
  bits: { CUR: number; BEFORE: number },
): SQL {
  const pairs = features.plain.flatMap((f) => f.eventNames.map((e) => sql`(${f.key}, ${e})`));
  const first = sql`u.first_day < ${day}::date`;
  const olds: SQL[] = [];
  if (pairs.length) {
    const values = sql`(values ${sql.join(pairs, sql`, `)}) fe(key, event)`;
    // By stored person: one index-only probe per candidate. A key whose link is still pending stores
    // its anonymous id: those few are found through the pending links of the candidates.
    olds.push(sql`select distinct c.actor, fe.key
        from (select distinct cand.actor from cand) c
        cross join lateral (
          select u.event from event_key_first_days u
          where u.product_id = ${productId} and u.actor = c.actor and ${first}
        ) ev
        join ${values} on fe.event = ev.event
      union all
      select distinct c.actor, fe.key
        from (select distinct cand.actor from cand) c
        join identities pl on pl.product_id = ${productId} and pl.pending and pl.user_id = c.actor
        join event_key_first_days u
          on u.product_id = pl.product_id and u.user_id = '' and u.anonymous_id = pl.anonymous_id and ${first}
        join ${values} on fe.event = u.event`);
  }
  const senderUser = (t: string) => sql.raw(`coalesce(${t}.user_id, '')`);
  const senderAnon = (t: string) =>
    sql.raw(`case when ${t}.user_id is null then coalesce(${t}.anonymous_id, '') else '' end`);
  for (const f of features.filtered) {
    const names = sqlList(f.eventNames);
    olds.push(sql`select distinct k.actor, k.key
        from (
          select c.actor, c.key, c.actor as uk, '' as ak from cand c where c.key = ${f.key}
          union all
          select c.actor, c.key, '', i.anonymous_id from cand c
            join identities i on i.product_id = ${productId} and i.user_id = c.actor
          where c.key = ${f.key}
          union all
          select c.actor, c.key, '', c.actor from cand c
          where c.key = ${f.key}
            and not exists (select 1 from identities i where i.product_id = ${productId} and i.anonymous_id = c.actor)
        ) k
        join (
          select h.event, h.timestamp, ${senderUser("h")} as uk, ${senderAnon("h")} as ak from events h
          where h.product_id = ${productId} and h.type <> 'identify' and h.event in (${names})
            and h.timestamp < ${sqlTimestamp(before)}
        ) h on h.uk = k.uk and h.ak = k.ak
        where exists (select 1 from events e
          where e.product_id = ${productId} and e.event = h.event and e.timestamp = h.timestamp and e.type <> 'identify'
            and ${senderUser("e")} = h.uk and ${senderAnon("e")} = h.ak
            and ${sql.join(f.filters.map(filterCondition), sql` and `)})`);
  }
  return sql`cand as materialized (
      select f.actor collate "default" as actor, f.key collate "default" as key from f
      where f.key is not null and f.mask & ${bits.CUR} <> 0 and f.mask & ${bits.BEFORE} = 0
    ),
    old as (${olds.length ? sql.join(olds, sql` union all `) : sql`select null::text as actor, null::text as key where false`})`;
}

/** Raw events of a feature with property filters (the rollup has no properties). */
function filteredEvents(productId: number, f: FeatureDefinition): SQL {
  return sql`e.product_id = ${productId} and e.type <> 'identify'
    and ${sqlIn(sql.raw("e.event"), f.eventNames)} and ${sql.join(f.filters.map(filterCondition), sql` and `)}`;
}

/**
 * Adoption counts of every feature of a plan in three statements run at once
 * (activity, and each half of the features: PostgreSQL groups a statement's
 * rows on one core), instead of several per feature. Each row of activity (`session_pieces`, as
 * activityRows reads it), of use of the features without property filters
 * (`event_actor_days`) and of use of those with filters (raw events) becomes
 * a bit mask of where its day falls (a trend week, the period, the previous
 * period, before the period). Only the days of the trend and both periods are
 * read; whether an adopter used the feature before those is looked up for the
 * adopters that need it (`earlierUse`). Rollup rows carry their stored
 * persons (lib/queries/stored-actor.ts), raw rows are resolved per sender key,
 * and their masks are OR-ed per person and feature, grouped `collate "C"`
 * (the same groups as the database collation, compared byte by byte); the
 * counts are one row per feature with filtered aggregates.
 * Use is joined with activity only for the previous period's adopters (were
 * they active in this period?), so the plan stays linear even on an engine
 * without planner statistics. Previous adopters are a subset of the previous
 * period's active actors (using a feature is activity), so non-adopters are
 * counted by difference. Equal to the naive lib/queries/adoption-raw.ts
 * (tests compare them).
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
  // The first instant read (local midnight of `lo`).
  const from = new Date(Math.min(span.start?.getTime() ?? 0, prev.start?.getTime() ?? 0));
  const actor = sql`${STORED_ACTOR} collate "C"`;
  const pieces = (from: string, to: string) => sql`from session_pieces r ${PENDING_LINK_JOIN}
      where r.product_id = ${productId} and r.day >= ${from}::date and r.day < ${to}::date`;
  // Distinct actors per mask bit (trend weeks, the period, the previous period), one filtered count each.
  const perBit = (t: string) =>
    sql`array[${sql.join(
      Array.from(
        { length: weeks + 2 },
        (_, i) => sql`(count(*) filter (where ${sql.raw(t)}.mask & ${1 << i} <> 0))::int`,
      ),
      sql`, `,
    )}]`;
  type Counted = { key: string | null; n: number[] | string; retained: number; uses: number; fresh: number };
  // Activity alone: per person, the bits of the days they were active.
  const activity = analyticalQuery<Counted>(
    db,
    sql`with a as (
          select s.actor, bit_or(s.mask) as mask
          from (select ${actor} as actor, ${dayMask(day)} as mask ${pieces(lo, hi)}) s
          group by s.actor
        )
        select null::text as key, ${perBit("a")} as n, 0 as uses, 0 as fresh,
          (count(*) filter (where a.mask & ${PREV} <> 0 and a.mask & ${CUR} <> 0))::int as retained
        from a`,
    { parallel: true },
  );
  /** Use of `subset` (a share of the features): one row per feature. */
  const countShare = (subset: readonly FeatureDefinition[]): Promise<Counted[]> => {
    const sources: SQL[] = [];
    const plain = plainFeatures(subset);
    if (plain.length) {
      const { keysOf, key, events } = eventMap(plain);
      // Use within the days read; earlier use (is an adopter new?) is probed per adopter below.
      // One row per key, day and event, not grouped per key here: the grouping per person below
      // ORs and sums them anyway, and one sort of these rows less is much of the statement at 10M.
      sources.push(sql`select ${actor} as actor, ${key} collate "C" as key, ${dayMask(day)} as mask,
          case when ${dayIn(day, cur)} then r.events else 0 end as uses
        from event_actor_days r ${PENDING_LINK_JOIN} ${keysOf}
        where r.product_id = ${productId} and r.event in (${events}) and r.day >= ${lo}::date and r.day < ${hi}::date`);
    }
    const filtered = filteredFeatures(subset);
    for (const f of filtered) {
      const local = sql`(e.timestamp at time zone ${span.zone})::date`;
      const bit = (cond: SQL, value: number | SQL) => sql`case when ${cond} then ${value} else 0 end`;
      // Few rows (one per sender key): each anonymous one resolved by an index probe into the links.
      sources.push(sql`select coalesce(nullif(g.user_id, ''), (
            select i.user_id from identities i where i.product_id = ${productId} and i.anonymous_id = g.anonymous_id
          ), g.anonymous_id) collate "C" as actor, g.key, g.mask, g.uses
        from (select e.user_id, e.anonymous_id, ${f.key}::text collate "C" as key,
          bit_or(${bit(instantIn(span), sql`1 << ((${local} - ${first}::date) / 7)`)} | ${bit(instantIn(cur), CUR)}
            | ${bit(instantIn(prev), PREV)} | ${bit(instantIn({ end: cur.start }), BEFORE)}) as mask,
          count(*) filter (where ${instantIn(cur)}) as uses
        from events e
        where ${filteredEvents(productId, f)} and e.timestamp >= ${sqlTimestamp(from)} and e.timestamp < ${sqlTimestamp(
          new Date(Math.max(cur.end?.getTime() ?? 0, span.end?.getTime() ?? 0)),
        )}
        group by 1, 2) g`);
    }
    return sources.length
      ? analyticalQuery<Counted>(
          db,
          sql`with f as (
            select s.actor, s.key, bit_or(s.mask) as mask, sum(s.uses) as uses
            from (${sql.join(sources, sql` union all `)}) s group by s.actor, s.key
            having bit_or(s.mask) & ${BEFORE - 1} <> 0 -- used before the period only: counts nowhere
          ),
          ${earlierUse(productId, { plain, filtered }, cur.firstDay as string, from, { CUR, BEFORE })},
          fresh as (
            select c.key, count(*)::int as n from cand c
            where not exists (select 1 from old o where o.actor = c.actor and o.key = c.key)
            group by c.key
          ),
          -- The previous period's adopters active in this period: a hash join of the few adopters with
          -- the period's active persons (not a scan of activity per adopter, on an engine without statistics).
          act as materialized (select distinct ${actor} as actor ${pieces(cur.firstDay as string, cur.endDay)}),
          kept as (
            select u.key collate "default" as key, count(*)::int as n
            from f u join act on act.actor = u.actor
            where u.mask & ${PREV} <> 0
            group by u.key
          )
          select g.key, g.n, g.uses, coalesce(fr.n, 0) as fresh, coalesce(k.n, 0) as retained
          from (
            select f.key collate "default" as key, ${perBit("f")} as n,
              coalesce(sum(f.uses) filter (where f.mask & ${CUR} <> 0), 0)::int as uses
            from f group by f.key
          ) g
          left join fresh fr on fr.key = g.key
          left join kept k on k.key = g.key`,
          // Parallel: at 10M events the scans split across the cores.
          { parallel: true },
        )
      : Promise.resolve([]);
  };
  // Groups are per person and feature, so the features split into shares counted by statements of
  // their own, at once with the activity statement: PostgreSQL groups each statement's rows on one core.
  const shares = [0, 1].map((k) => plan.features.filter((_, i) => i % 2 === k));
  const rows = (await Promise.all([activity, ...shares.map(countShare)])).flat();
  const byKey = new Map(
    rows.map((r) => {
      const n = (typeof r.n === "string" ? r.n.replace(/[{}]/g, "").split(",") : r.n).map(Number);
      return [r.key, { ...r, n }] as const;
    }),
  );
  const all = byKey.get(null);
  const active = all?.n[weeks] ?? 0;
  const previousActive = all?.n[weeks + 1] ?? 0;
  const previousActiveRetained = Number(all?.retained ?? 0);
  const counts = new Map<string, AdoptionCounts>();
  const previousAdopters = new Map<string, number>();
  const weeklyActive = new Map<string, number>();
  const weeklyAdopters = new Map<string, Map<string, number>>();
  for (const [i, week] of plan.weeks.entries()) weeklyActive.set(week.firstDay, all?.n[i] ?? 0);
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
