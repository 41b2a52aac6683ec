import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { formatDayNumber, parseDateKey } from "../metrics/period-resolve";
import { weekStartSql } from "./activity-source";
import type { DayRange } from "./dash-series";
import { SESSION_GAP } from "./rollups";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

type ProductRef = Pick<Product, "id" | "timezone" | "weekStart">;

export interface BoardActivity {
  /** Distinct actors of each product week starting at `weekStarts` (0 without activity). */
  weekly: { week: string; active: number }[];
  /** Distinct actors and sessions (counted on the local day they open) of each day of the range. */
  daily: { day: string; active: number; sessions: number }[];
}

/**
 * The KPI board's activity series in one statement over the `session_pieces`
 * rollup: weekly active users (getWeeklyActivity's `active`) and daily active
 * users and sessions (getDailyActivity). The pieces of the union of both
 * spans are read once and their actors resolved once (user id, else the user
 * id the anonymous id was identified as, else the anonymous id; the identity
 * is looked up only for anonymous pieces). A session opens at each piece that
 * starts 30 minutes or more after every earlier-starting piece of its actor
 * has ended: the rule of `mergePieces` (lib/queries/rollups.ts), which gives
 * exactly the sessions of the raw events of the range, counted without
 * building the merged sessions.
 */
export async function getBoardActivity(
  db: Db,
  params: { product: ProductRef; weekStarts: readonly string[]; range: DayRange },
): Promise<BoardActivity> {
  const { product, weekStarts, range } = params;
  const firstWeek = weekStarts[0];
  const lastWeek = weekStarts.at(-1);
  const weeksEnd = lastWeek ? formatDayNumber(parseDateKey(lastWeek) + 7) : undefined;
  const rangeEnd = formatDayNumber(parseDateKey(range.lastDay) + 1);
  const lo = firstWeek && firstWeek < range.firstDay ? firstWeek : range.firstDay;
  const hi = weeksEnd && weeksEnd > rangeEnd ? weeksEnd : rangeEnd;
  // One sort of the pieces by actor and start, one window pass: along that order an actor's days and weeks
  // never decrease, so an actor's first piece in a day (week) counts them once, and a session opens at each
  // piece starting 30 minutes or more after the latest end of the actor's earlier pieces in the range. A
  // session is counted on the day it opens, its first piece's day (pieces never cross local midnight).
  const week = (day: string) => weekStartSql(sql.raw(day), product.weekStart);
  const rows = await queryRows<{
    gw: number;
    week: string | null;
    day: string | null;
    nw: number;
    nd: number;
    ns: number;
  }>(
    db,
    sql`select grouping(${week("w.day")}) as gw, ${week("w.day")}::text as week, w.day::text as day,
          (count(*) filter (where ${week("w.prev_day")} is distinct from ${week("w.day")}))::int as nw,
          (count(*) filter (where w.prev_day is distinct from w.day))::int as nd,
          (count(*) filter (where w.prev_end is null or w.start_at - w.prev_end >= ${SESSION_GAP}))::int as ns
        from (
          select x.day, x.start_at,
            lag(x.day) over a as prev_day,
            max(x.end_at) filter (where x.day >= ${range.firstDay}::date) over a as prev_end
          from (
            select ${STORED_ACTOR} as actor, r.day, r.start_at, r.end_at
            from session_pieces r ${PENDING_LINK_JOIN}
            where r.product_id = ${product.id} and r.day >= ${lo}::date and r.day < ${hi}::date
          ) x
          window a as (partition by x.actor order by x.start_at, x.end_at rows between unbounded preceding and 1 preceding)
        ) w
        group by grouping sets ((${week("w.day")}), (w.day))`,
  );
  const weeks = new Map<string, number>();
  const active = new Map<string, number>();
  const sessions = new Map<string, number>();
  for (const r of rows) {
    if (Number(r.gw) === 0 && r.week !== null) weeks.set(r.week, Number(r.nw));
    else if (r.day !== null) {
      active.set(r.day, Number(r.nd));
      sessions.set(r.day, Number(r.ns));
    }
  }
  const daily: BoardActivity["daily"] = [];
  for (let d = parseDateKey(range.firstDay); d <= parseDateKey(range.lastDay); d++) {
    const day = formatDayNumber(d);
    daily.push({ day, active: active.get(day) ?? 0, sessions: sessions.get(day) ?? 0 });
  }
  return { weekly: weekStarts.map((week) => ({ week, active: weeks.get(week) ?? 0 })), daily };
}
