import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlList as list, queryRows, sqlTimestamp } from "../../db/rows";
import type { FunnelEvent, FunnelSpec } from "../metrics/funnel-trace";
import { analyticalQuery } from "./analytical-query";
import { resolveActors } from "./funnel-actors";

interface EventRow {
  actor: string;
  t: number;
  event: string;
  properties: Record<string, unknown> | null;
}

/**
 * Each actor's events for the JS tracer (lib/metrics/funnel-trace.ts), in
 * time order, from the range start to the range end plus the window (steps
 * may complete after the range), actors resolved through identities. Strict
 * mode reads every event (any event between two steps breaks the chain); the
 * other modes only the step and exclusion events.
 *
 * Sequential funnels whose step 1 has no filters and plays no other role
 * need less: each sender key's first step-1 event in range, and the other
 * steps' and exclusions' events inside the window of the actor's entry. SQL
 * keeps just those, without joining the two sets, so the plan stays linear
 * even without planner statistics. `fullScan` reads every step event with a
 * plain join to identities: the naive reference the fast paths must equal.
 */
export async function loadFunnelEvents(
  db: Db,
  productId: number,
  spec: FunnelSpec,
  options: { fullScan: boolean },
): Promise<Iterable<FunnelEvent[]>> {
  const { steps, mode, windowMs } = spec;
  const first = steps[0] as FunnelSpec["steps"][number];
  const exclusions = spec.exclusions ?? [];
  const names = [...new Set([...steps.map((s) => s.event), ...exclusions])];
  const needsProps = steps.some((s) => s.filters?.length) || Boolean(spec.breakdown);
  const start = sqlTimestamp(new Date(spec.rangeStart));
  const end = sqlTimestamp(new Date(spec.rangeEnd));
  const until = sqlTimestamp(new Date(spec.rangeEnd + windowMs + 1));
  const props = needsProps ? sql`e.properties` : sql`null::jsonb`;
  const reducible =
    !options.fullScan &&
    mode === "sequential" &&
    !first.filters?.length &&
    !steps.slice(1).some((s) => s.event === first.event) &&
    !exclusions.includes(first.event);
  const nameFilter = mode === "strict" ? sql`` : sql`and e.event in (${list(names)})`;
  let query: SQL;
  if (options.fullScan) {
    // The naive reference: every event joined to identities, as written.
    query = sql`
      select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor,
        (extract(epoch from e.timestamp) * 1000)::float8 as t, e.event, ${props} as properties
      from events e
      left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
      where e.product_id = ${productId} and e.type <> 'identify'
        and e.timestamp >= ${start} and e.timestamp < ${until} ${nameFilter}
      order by 1, e.timestamp, e.id`;
  } else if (reducible) {
    const others = names.filter((n) => n !== first.event);
    const keys = sql`
      select e.user_id, e.anonymous_id, e.timestamp as ts, e.id, e.event, ${props} as properties, true as entry
      from (
        select e.user_id, e.anonymous_id,
          min(array[extract(epoch from e.timestamp) * 1000000, e.id]::float8[]) as first
        from events e
        where e.product_id = ${productId} and e.type <> 'identify' and e.event = ${first.event}
          and e.timestamp >= ${start} and e.timestamp < ${end}
        group by e.user_id, e.anonymous_id
      ) k
      join events e on e.id = (k.first[2])::bigint and e.product_id = ${productId}
      ${
        others.length
          ? sql`union all
      select e.user_id, e.anonymous_id, e.timestamp, e.id, e.event, ${props}, false
      from events e
      where e.product_id = ${productId} and e.type <> 'identify' and e.event in (${list(others)})
        and e.timestamp >= ${start} and e.timestamp < ${until}`
          : sql``
      }`;
    query = sql`
      with x as (${resolveActors(productId, keys, ["ts", "id", "event", "properties", "entry"])}),
      y as (select x.*, min(x.ts) filter (where x.entry) over (partition by x.actor) as t0 from x)
      select y.actor, (extract(epoch from y.ts) * 1000)::float8 as t, y.event, y.properties
      from y
      where y.entry or (y.ts >= y.t0 and y.ts <= y.t0 + ${windowMs / 1000}::float8 * interval '1 second')
      order by y.actor, y.ts, y.id`;
  } else {
    const keys = sql`
      select e.user_id, e.anonymous_id, e.timestamp as ts, e.id, e.event, ${props} as properties
      from events e
      where e.product_id = ${productId} and e.type <> 'identify'
        and e.timestamp >= ${start} and e.timestamp < ${until} ${nameFilter}`;
    query = sql`
      select x.actor, (extract(epoch from x.ts) * 1000)::float8 as t, x.event, x.properties
      from (${resolveActors(productId, keys, ["ts", "id", "event", "properties"])}) x
      order by x.actor, x.ts, x.id`;
  }
  const rows = options.fullScan
    ? await queryRows<EventRow>(db, query)
    : await analyticalQuery<EventRow>(db, query);
  const byActor = new Map<string, FunnelEvent[]>();
  for (const r of rows) {
    const event: FunnelEvent = { t: Number(r.t), event: r.event, properties: r.properties ?? undefined };
    const list = byActor.get(r.actor);
    if (list) list.push(event);
    else byActor.set(r.actor, [event]);
  }
  return byActor.values();
}
