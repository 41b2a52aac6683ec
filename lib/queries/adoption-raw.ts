import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { AdoptionCounts } from "../metrics/adoption";
import { activityRows } from "./activity-source";
import type { AdoptionPlan, PlannedCounts } from "./adoption-plan";
import { featureRows } from "./feature-activity";
import { countDistinctActors } from "./kpi-activity";

async function countOne(db: Db, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, query);
  return Number(row?.n ?? 0);
}

/**
 * The naive reference for adoption, straight from raw events: a handful of
 * queries per feature, each with its own set operations (the grouped rollup
 * path, lib/queries/adoption-grouped.ts, must give the same counts; the
 * benchmark times both).
 */
export async function countAdoptionFromRawEvents(db: Db, plan: AdoptionPlan): Promise<PlannedCounts> {
  const { cur, prev, history, span, features } = plan;
  const source = "raw";
  const active = await countDistinctActors(db, source, cur);
  const perWeek = async (rows: SQL) => {
    const found = await queryRows<{ week: string; n: number }>(
      db,
      sql`select ${plan.weekOf(sql.raw("a.day"))}::text as week, count(distinct a.actor)::int as n
          from (${rows}) a group by 1`,
    );
    return new Map(found.map((r) => [r.week, Number(r.n)]));
  };
  const weeklyActive = await perWeek(activityRows(source, span));
  const counts = new Map<string, AdoptionCounts>();
  const weeklyAdopters = new Map<string, Map<string, number>>();
  const previousAdopters = new Map<string, number>();
  for (const f of features) {
    const spec = { eventNames: f.eventNames, filters: f.filters };
    const [row] = await queryRows<{ adopters: number; uses: number }>(
      db,
      sql`select count(distinct a.actor)::int as adopters, coalesce(sum(a.events), 0)::int as uses
          from (${featureRows(source, cur, spec)}) a`,
    );
    const newAdopters = await countOne(
      db,
      sql`select count(*)::int as n from (
            select a.actor from (${featureRows(source, history, spec)}) a
            group by a.actor having min(a.day) >= ${cur.firstDay as string}::date) x`,
    );
    const prevAdopt = sql`select a.actor from (${featureRows(source, prev, spec)}) a`;
    const prevActive = sql`select a.actor from (${activityRows(source, prev)}) a`;
    const curActive = sql`select a.actor from (${activityRows(source, cur)}) a`;
    const [ret] = await queryRows<{ pa: number; par: number; pn: number; pnr: number }>(
      db,
      sql`select
            (select count(*) from (${prevAdopt} union ${prevAdopt}) x)::int as pa,
            (select count(*) from (${prevAdopt} intersect ${curActive}) x)::int as par,
            (select count(*) from (${prevActive} except ${prevAdopt}) x)::int as pn,
            (select count(*) from ((${prevActive} except ${prevAdopt}) intersect ${curActive}) x)::int as pnr`,
    );
    weeklyAdopters.set(f.key, await perWeek(featureRows(source, span, spec)));
    counts.set(f.key, {
      adopters: Number(row?.adopters ?? 0),
      active,
      newAdopters,
      uses: Number(row?.uses ?? 0),
      previousAdopters: Number(ret?.pa ?? 0),
      previousAdoptersRetained: Number(ret?.par ?? 0),
      previousNonAdopters: Number(ret?.pn ?? 0),
      previousNonAdoptersRetained: Number(ret?.pnr ?? 0),
    });
    previousAdopters.set(f.key, Number(ret?.pa ?? 0));
  }
  const previousActive = await countDistinctActors(db, source, prev);
  return { counts, weeklyActive, weeklyAdopters, previousAdopters, previousActive };
}
