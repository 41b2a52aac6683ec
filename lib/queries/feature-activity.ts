import { type SQL, sql } from "drizzle-orm";
import { sqlIn } from "../../db/rows";
import type { PropertyFilter } from "../metrics/property-filters";
import { type ActivityScope, type ActivitySource, activityRows, rawTimeBounds } from "./activity-source";

/** SQL condition for one property filter on events `e` (same semantics as lib/metrics/property-filters.ts). */
export function filterCondition(f: PropertyFilter): SQL {
  const text = sql`(e.properties ->> ${f.property})`;
  const value = f.value === undefined ? "" : String(f.value);
  switch (f.op) {
    case "eq":
      return sql`${text} = ${value}`;
    case "neq":
      return sql`${text} is distinct from ${value}`;
    case "contains":
      return sql`strpos(${text}, ${value}) > 0`;
    case "exists":
      return sql`${text} is not null`;
    default:
      return sql`false`;
  }
}

/**
 * `(actor, day, event, events, pageviews)` rows of a feature's use: its event
 * names, and when it has property filters, only events that pass them (read
 * from raw events, as the rollup has no properties).
 */
export function featureRows(
  source: ActivitySource,
  scope: ActivityScope,
  feature: { eventNames: readonly string[]; filters: readonly PropertyFilter[] },
): SQL {
  if (feature.filters.length === 0) return activityRows(source, { ...scope, events: feature.eventNames });
  const parts: SQL[] = [sql`e.product_id = ${scope.productId}`, sql`e.type <> 'identify'`];
  parts.push(...rawTimeBounds(scope));
  parts.push(sqlIn(sql.raw("e.event"), feature.eventNames));
  for (const f of feature.filters) parts.push(filterCondition(f));
  return sql`select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor,
               (e.timestamp at time zone ${scope.zone})::date as day, e.event, 1 as events,
               (e.type = 'page')::int as pageviews
             from events e
             left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
             where ${sql.join(parts, sql` and `)}`;
}
