import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows, sqlTimestamp } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { formatDayNumber, localMidnight, parseDateKey } from "../metrics/period-resolve";
import { activityRows, weekStartSql } from "./activity-source";

type ProductRef = Pick<Product, "id" | "timezone" | "weekStart">;

/** Local days [firstDay, lastDay] inclusive. */
export interface DayRange {
  firstDay: string;
  lastDay: string;
}

const dayAfter = (day: string) => formatDayNumber(parseDateKey(day) + 1);

/** The first days of `weeks` consecutive product weeks ending with the week starting `lastWeekStart`. */
export function listWeekStarts(lastWeekStart: string, weeks: number): string[] {
  const last = parseDateKey(lastWeekStart);
  return Array.from({ length: weeks }, (_, i) => formatDayNumber(last - 7 * (weeks - 1 - i)));
}

/**
 * Weekly active users and pageviews per product week (from the rollup), for
 * the weeks starting at each of `weekStarts`; weeks without activity are 0.
 */
export async function getWeeklyActivity(
  db: Db,
  params: { product: ProductRef; weekStarts: readonly string[] },
): Promise<{ week: string; active: number; pageviews: number }[]> {
  const { product, weekStarts } = params;
  const first = weekStarts[0];
  const last = weekStarts.at(-1);
  if (!first || !last) return [];
  const scope = {
    productId: product.id,
    zone: product.timezone,
    firstDay: first,
    endDay: formatDayNumber(parseDateKey(last) + 7),
  };
  const rows = await queryRows<{ week: string; n: number; pageviews: number }>(
    db,
    sql`select ${weekStartSql(sql.raw("a.day"), product.weekStart)}::text as week,
          count(distinct a.actor)::int as n, coalesce(sum(a.pageviews), 0)::int as pageviews
        from (${activityRows("rollup", scope)}) a group by 1`,
  );
  const byWeek = new Map(rows.map((r) => [r.week, r]));
  return weekStarts.map((week) => ({
    week,
    active: Number(byWeek.get(week)?.n ?? 0),
    pageviews: Number(byWeek.get(week)?.pageviews ?? 0),
  }));
}

/**
 * Daily active users and sessions per local day of a range. Sessions follow
 * the KPI rule (a gap of 30 minutes or more opens a new one) and are counted
 * on the day they open.
 */
export async function getDailyActivity(
  db: Db,
  params: { product: ProductRef; range: DayRange },
): Promise<{ day: string; active: number; sessions: number }[]> {
  const { product, range } = params;
  const zone = product.timezone;
  const endDay = dayAfter(range.lastDay);
  const scope = { productId: product.id, zone, firstDay: range.firstDay, endDay };
  const active = await queryRows<{ day: string; n: number }>(
    db,
    sql`select a.day::text as day, count(distinct a.actor)::int as n
        from (${activityRows("rollup", scope)}) a group by 1`,
  );
  const start = localMidnight(range.firstDay, zone);
  const end = localMidnight(endDay, zone);
  const sessions = await queryRows<{ day: string; n: number }>(
    db,
    sql`with ev as (
          select coalesce(e.user_id, i.user_id, e.anonymous_id) as actor, e.timestamp as ts
          from events e
          left join identities i on i.product_id = e.product_id and i.anonymous_id = e.anonymous_id
          where e.product_id = ${product.id} and e.type <> 'identify'
            and e.timestamp >= ${sqlTimestamp(start)} and e.timestamp < ${sqlTimestamp(end)}
        ), marked as (
          select ts, case when ts - lag(ts) over (partition by actor order by ts) < interval '30 minutes'
            then 0 else 1 end as opens
          from ev
        )
        select (ts at time zone ${zone})::date::text as day, count(*)::int as n
        from marked where opens = 1 group by 1`,
  );
  const a = new Map(active.map((r) => [r.day, Number(r.n)]));
  const s = new Map(sessions.map((r) => [r.day, Number(r.n)]));
  const days: { day: string; active: number; sessions: number }[] = [];
  for (let d = parseDateKey(range.firstDay); d <= parseDateKey(range.lastDay); d++) {
    const day = formatDayNumber(d);
    days.push({ day, active: a.get(day) ?? 0, sessions: s.get(day) ?? 0 });
  }
  return days;
}

export interface AnnotationPoint {
  day: string;
  kind: string;
  title: string;
  description: string | null;
}

/** Release markers and notes of a product in a range, by local day, for drawing on trend charts. */
export async function listAnnotationsInRange(
  db: Db,
  params: { product: ProductRef; range: DayRange },
): Promise<AnnotationPoint[]> {
  const { product, range } = params;
  const start = localMidnight(range.firstDay, product.timezone);
  const end = localMidnight(dayAfter(range.lastDay), product.timezone);
  const rows = await queryRows<{ day: string; kind: string; title: string; description: string | null }>(
    db,
    sql`select (occurred_at at time zone ${product.timezone})::date::text as day, kind, title, description
        from annotations
        where product_id = ${product.id}
          and occurred_at >= ${sqlTimestamp(start)} and occurred_at < ${sqlTimestamp(end)}
        order by occurred_at`,
  );
  return rows;
}
