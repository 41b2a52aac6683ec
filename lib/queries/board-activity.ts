import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Product } from "../../db/schema/products";
import {
  formatDayNumber,
  localMidnight,
  monthOfDay,
  parseDateKey,
  type ResolvedPeriod,
  weekOfDay,
  weekStartOfDay,
} from "../metrics/period-resolve";
import { weekOfDateSql } from "./activity-source";
import { analyticalQuery } from "./analytical-query";
import type { BoardActivity } from "./dash-board-activity";
import type { DayRange } from "./dash-series";
import { seenBeforeSql } from "./first-days";
import { type ActivityFigures, getActivityFigures } from "./kpi-activity";
import { SESSION_GAP } from "./rollups";
import { PENDING_LINK_JOIN, STORED_ACTOR } from "./stored-actor";

type ProductRef = Pick<Product, "id" | "timezone" | "weekStart">;

/** Local days [firstDay, endDay). */
interface Span {
  firstDay: string;
  endDay: string;
}

const after = (day: string) => formatDayNumber(parseDateKey(day) + 1);
const spanOf = (p: Pick<ResolvedPeriod, "firstDay" | "lastDay">): Span => ({
  firstDay: p.firstDay,
  endDay: after(p.lastDay),
});

export interface BoardFigures extends BoardActivity {
  /** getActivityFigures of each period (its week and month as getKpiMetrics takes them), in order. */
  periods: ActivityFigures[];
}

/**
 * Everything the KPI board reads from activity, in one statement over
 * `session_pieces` (and, at once, one more that counts the distinct actors
 * of the series' weeks that start before every other span: the window's
 * statement then reads only the days from there on): the 12-week active-user series and the daily active users
 * and sessions of the trend range (getBoardActivity's numbers), and, for each
 * period, getActivityFigures' numbers with the week and month of its last day
 * (what getKpiMetrics computes for the KPI cards and the previous period).
 *
 * The pieces of the union of all spans are read once, their actors resolved
 * once, and sorted once by actor and start. One window pass gives each piece
 * the latest day and end of the actor's earlier pieces and the next piece's
 * start and day. A piece never crosses local midnight, so along that order
 * days never decrease and every piece of an earlier day ends before any piece
 * of a later day; hence, for a span starting on day X:
 * - the actor is counted in the span at its first piece there, the one whose
 *   predecessor's day is before X (daily, weekly and period active users, WAU, MAU);
 * - the latest end of the actor's earlier pieces *in the span* is the latest
 *   end of all earlier pieces when the predecessor's day is X or later, else
 *   none; so a piece opens a session of the span (the `mergePieces` rule: 30
 *   minutes or more after that end) when it opens one among all pieces read or
 *   its predecessor is before X;
 * - a session's last piece is one whose successor is after the span or starts
 *   30 minutes or more after the latest end so far; bounces are sessions of
 *   one piece of one pageview, and the total duration is the sum of the
 *   sessions' ends minus the sum of their starts.
 * Everything is counted per local day, each day's share going to the spans
 * that contain it (periods must not overlap: a period and the one before).
 * New users: at an actor's first piece in a period whose key was first seen in
 * the periods, index probes check that none of the actor's keys (getActivityFigures'
 * rule) was seen before. Equal to getBoardActivity and to getActivityFigures per
 * period (tests/db/dash-board.test.ts), falling back to the latter for instants
 * finer than a millisecond and for overlapping periods.
 */
export async function getBoardFigures(
  db: Db,
  params: {
    product: ProductRef;
    weekStarts: readonly string[];
    range: DayRange;
    periods: readonly Pick<ResolvedPeriod, "firstDay" | "lastDay">[];
  },
): Promise<BoardFigures> {
  const { product, weekStarts, range, periods } = params;
  const pid = product.id;
  const zone = product.timezone;
  const spans = periods.map((p) => ({
    period: spanOf(p),
    week: spanOf(weekOfDay(p.lastDay, zone, product.weekStart)),
    month: spanOf(monthOfDay(p.lastDay, zone)),
  }));
  const exact = async (): Promise<ActivityFigures[]> =>
    Promise.all(
      spans.map((s) => getActivityFigures(db, { productId: pid, zone, ...s.period }, s.week, s.month)),
    );
  const rangeSpan = spanOf(range);
  const firstWeek = weekStarts[0];
  const lastWeek = weekStarts.at(-1);
  const all: Span[] = [rangeSpan, ...spans.flatMap((s) => [s.period, s.week, s.month])];
  // The series' weeks that start before every other span are counted apart (`early`): distinct
  // (week, actor) pairs need no window, and the window's statement then reads fewer pieces.
  const lo = all.map((s) => s.firstDay).sort()[0] as string;
  const early = weekStarts.filter((w) => w < lo);
  const lastEarly = early.at(-1);
  if (lastWeek)
    all.push({
      firstDay: lastEarly ? lo : (firstWeek as string),
      endDay: after(formatDayNumber(parseDateKey(lastWeek) + 6)),
    });
  const hi = all
    .map((s) => s.endDay)
    .sort()
    .at(-1) as string;
  const earlyCounts =
    early.length && lastEarly
      ? analyticalQuery<{ week: string; n: number }>(
          db,
          sql`select d.week::text as week, count(*)::int as n
            from (
              select distinct ${weekOfDateSql("r.day", product.weekStart)} as week, ${STORED_ACTOR} collate "C" as actor
              from session_pieces r ${PENDING_LINK_JOIN}
              where r.product_id = ${pid} and r.day >= ${early[0]}::date and r.day < ${formatDayNumber(parseDateKey(lastEarly) + 7)}::date
            ) d
            group by d.week`,
          { parallel: true },
        )
      : Promise.resolve([]);
  const byStart = [...spans].sort((a, b) => (a.period.firstDay < b.period.firstDay ? -1 : 1));
  const overlap = byStart.some(
    (s, i) => i > 0 && (byStart[i - 1] as typeof s).period.endDay > s.period.firstDay,
  );

  // The first days of the spans whose active actors are counted (each day's share, see above).
  const starts = [...new Set(spans.flatMap((s) => [s.period.firstDay, s.week.firstDay, s.month.firstDay]))];
  const col = (name: string, i: number) => sql.raw(`${name}_${i}`);
  const firstIn = starts.map(
    (x, i) => sql`(count(*) filter (where prev_day is null or prev_day < ${x}::date))::int as ${col("c", i)}`,
  );
  // Per piece, the period containing it (first day, day after), null outside the periods.
  const periodOf = (edge: "firstDay" | "endDay") =>
    spans.length === 0
      ? sql`null::date`
      : sql`case ${sql.join(
          spans.map(
            (s) => sql`when p.day >= ${s.period.firstDay}::date and p.day < ${s.period.endDay}::date
            then ${s.period[edge]}::date`,
          ),
          sql` `,
        )} end`;
  const gap = SESSION_GAP;
  // Instants are summed as intervals from a fixed one (exact microseconds, cheaper than numeric epochs).
  const base = sql`${localMidnight(lo, zone).toISOString()}::timestamptz`;
  // Opens a session among all pieces read / within its period; ends one within its period.
  const opensAll = sql`(prev_day is null or start_at - prev_end >= ${gap})`;
  const opens = sql`(${opensAll} or prev_day < px)`;
  const ends = sql`(next_day is null or next_day >= py or next_start - greatest(prev_end, end_at) >= ${gap})`;

  // New users: an actor counted in a period (at their first piece there) is new when none of their keys
  // (their user id; the anonymous ids identified as them; their own anonymous id unless it was identified)
  // was first seen before the period: getActivityFigures' rule, probed by index only for the actors whose
  // first piece in the period comes from a key first seen in one of the periods.
  const pLo = spans.map((s) => s.period.firstDay).sort()[0] ?? lo;
  const pHi =
    spans
      .map((s) => s.period.endDay)
      .sort()
      .at(-1) ?? lo;
  const isNew = sql`(px is not null and (prev_day is null or prev_day < px)
    and (user_id, anonymous_id) in (
      select f.user_id, f.anonymous_id from actor_key_first_days f
      where f.product_id = ${pid} and f.first_day >= ${pLo}::date and f.first_day < ${pHi}::date)
    and not ${seenBeforeSql(pid, sql.raw("w.actor"), sql.raw("px"))})`;
  const statement = analyticalQuery<Record<string, string | number | null>>(
    db,
    sql`with w as (
          select p.actor, p.user_id, p.anonymous_id, p.day, p.start_at, p.end_at, p.events, p.pageviews,
            ${periodOf("firstDay")} as px, ${periodOf("endDay")} as py,
            max(p.day) over a as prev_day, max(p.end_at) over a as prev_end,
            lead(p.start_at) over a as next_start, lead(p.day) over a as next_day
          from (
            select ${STORED_ACTOR} as actor, r.user_id, r.anonymous_id,
              r.day, r.start_at, r.end_at, r.events, r.pageviews
            from session_pieces r ${PENDING_LINK_JOIN}
            where r.product_id = ${pid} and r.day >= ${lo}::date and r.day < ${hi}::date
          ) p
          -- Partitions only group equal actors: "C" gives the same groups and spares the locale's comparisons.
          window a as (partition by p.actor collate "C" order by p.start_at, p.end_at, p.events, p.pageviews
            rows between unbounded preceding and 1 preceding)
        )
        select day::text as day,
          (count(*) filter (where prev_day is null or prev_day < ${weekOfDateSql("day", product.weekStart)}))::int as nw,
          (count(*) filter (where prev_day is null or prev_day < day))::int as nd,
          coalesce(sum(pageviews), 0)::int as pv,
          (count(*) filter (where ${opensAll} or prev_day < ${rangeSpan.firstDay}::date))::int as ns,
          (count(*) filter (where px is not null and ${opens}))::int as s,
          (count(*) filter (where px is not null and events = 1 and pageviews = 1 and ${opens} and ${ends}))::int
            as b,
          (extract(epoch from coalesce(sum(greatest(prev_end, end_at) - ${base}) filter (where px is not null and ${ends}),
              interval '0')
            - coalesce(sum(start_at - ${base}) filter (where px is not null and ${opens}), interval '0')) * 1000)::float8
            as d,
          (count(*) filter (where px is not null
            and (date_trunc('milliseconds', start_at) <> start_at or date_trunc('milliseconds', end_at) <> end_at)))::int
            as sub_ms,
          (count(*) filter (where ${isNew}))::int as n
          ${firstIn.length ? sql`, ${sql.join(firstIn, sql`, `)}` : sql``}
        from w group by day`,
    // The scan split across the cores, and the window's rows grouped by day in a hash table rather than
    // sorted a second time (alone at 10M events: 660 -> 500 ms).
    { parallel: true, hashedGroups: true },
  );
  const [rows, earlyRows] = await Promise.all([statement, earlyCounts]);
  const series = seriesOf(rows, weekStarts, range, product.weekStart);
  const earlyWeeks = new Map(earlyRows.map((r) => [String(r.week), Number(r.n)]));
  for (const w of series.weekly) if (w.week < lo) w.active = earlyWeeks.get(w.week) ?? 0;
  // Durations are summed as ends minus starts, which equals the sum of each session's rounded milliseconds
  // only when no instant has a fraction of a millisecond (none has when events come in through ingest,
  // which reads times to the millisecond); otherwise, and for overlapping periods, the periods' figures
  // are read the exact way.
  if (overlap || rows.some((r) => num(r.sub_ms) > 0)) return { ...series, periods: await exact() };
  const figures = spans.map((s): ActivityFigures => {
    const f: ActivityFigures = {
      byDay: new Map(),
      active: 0,
      pageviews: 0,
      wau: 0,
      mau: 0,
      newUsers: 0,
      sessions: { sessions: 0, bounces: 0, durationMs: 0 },
    };
    const within = (day: string, span: Span) => day >= span.firstDay && day < span.endDay;
    const firstOf = (span: Span, r: (typeof rows)[number]) => num(r[`c_${starts.indexOf(span.firstDay)}`]);
    for (const r of rows) {
      const day = String(r.day);
      if (within(day, s.period)) {
        f.byDay.set(day, num(r.nd));
        f.pageviews += num(r.pv);
        f.active += firstOf(s.period, r);
        f.sessions.sessions += num(r.s);
        f.sessions.bounces += num(r.b);
        f.sessions.durationMs += num(r.d);
        f.newUsers += num(r.n);
      }
      if (within(day, s.week)) f.wau += firstOf(s.week, r);
      if (within(day, s.month)) f.mau += firstOf(s.month, r);
    }
    return f;
  });
  return { ...series, periods: figures };
}

const num = (v: unknown) => Number(v ?? 0);

/** The weekly and daily series from the per-day rows: an actor counts in a week on the day of their first piece in it. */
function seriesOf(
  rows: Record<string, string | number | null>[],
  weekStarts: readonly string[],
  range: DayRange,
  weekStart: Product["weekStart"],
): BoardActivity {
  const weeks = new Map<string, number>();
  const byDay = new Map<string, Record<string, string | number | null>>();
  for (const r of rows) {
    const day = String(r.day);
    byDay.set(day, r);
    const week = weekStartOfDay(day, weekStart);
    weeks.set(week, (weeks.get(week) ?? 0) + num(r.nw));
  }
  const daily: BoardActivity["daily"] = [];
  for (let d = parseDateKey(range.firstDay); d <= parseDateKey(range.lastDay); d++) {
    const day = formatDayNumber(d);
    const r = byDay.get(day);
    daily.push({ day, active: num(r?.nd), sessions: num(r?.ns) });
  }
  return { weekly: weekStarts.map((week) => ({ week, active: weeks.get(week) ?? 0 })), daily };
}
