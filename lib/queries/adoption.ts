import { asc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/rows";
import type { Product } from "../../db/schema/products";
import { features } from "../../db/schema/products";
import { type AdoptionFigures, computeAdoption } from "../metrics/adoption";
import {
  formatDayNumber,
  parseDateKey,
  previousPeriod,
  type ResolvedPeriod,
  weekOfDay,
} from "../metrics/period-resolve";
import { safeRatio } from "../metrics/ratios";
import { type ActivityScope, type ActivitySource, activityRows, weekStartSql } from "./activity-source";
import { featureRows } from "./feature-activity";
import { countDistinctActors } from "./kpi-activity";

type ProductRef = Pick<Product, "id" | "slug" | "timezone" | "weekStart">;

/** Weeks shown in each feature's adoption trend, ending with the period's last week. */
export const ADOPTION_TREND_WEEKS = 8;

export interface FeatureAdoption extends AdoptionFigures {
  key: string;
  name: string;
  event_names: string[];
  trend: { week: string; adopters: number; active_users: number; adoption_rate: number | null }[];
}

export interface AdoptionReport {
  product: string;
  features: FeatureAdoption[];
}

function scopeOf(
  product: ProductRef,
  p: Pick<ResolvedPeriod, "start" | "end" | "firstDay" | "lastDay">,
): ActivityScope {
  return {
    productId: product.id,
    zone: product.timezone,
    start: p.start,
    end: p.end,
    firstDay: p.firstDay,
    endDay: formatDayNumber(parseDateKey(p.lastDay) + 1),
  };
}

async function countOne(db: Db, query: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, query);
  return Number(row?.n ?? 0);
}

/**
 * Adoption of every feature of a product in a period: adopters, adoption rate
 * among active actors, first-time adopters, uses, mean uses per adopter,
 * retention of the previous period's adopters vs non-adopters into this
 * period, and the adoption trend by week.
 */
export async function getAdoptionReport(
  db: Db,
  params: { product: ProductRef; period: ResolvedPeriod; source?: ActivitySource },
): Promise<AdoptionReport> {
  const { product, period } = params;
  const source = params.source ?? "rollup";
  const list = await db
    .select()
    .from(features)
    .where(eq(features.productId, product.id))
    .orderBy(asc(features.key));
  const cur = scopeOf(product, period);
  const prev = scopeOf(product, previousPeriod(period, product.timezone));
  const history: ActivityScope = {
    productId: product.id,
    zone: product.timezone,
    end: cur.end,
    endDay: cur.endDay,
  };
  const active = await countDistinctActors(db, source, cur);
  const lastWeek = weekOfDay(period.lastDay, product.timezone, product.weekStart);
  const weeks = Array.from({ length: ADOPTION_TREND_WEEKS }, (_, i) => {
    const first = formatDayNumber(parseDateKey(lastWeek.firstDay) - 7 * (ADOPTION_TREND_WEEKS - 1 - i));
    return weekOfDay(first, product.timezone, product.weekStart);
  });
  const span = scopeOf(product, {
    ...(weeks[0] as ResolvedPeriod),
    lastDay: lastWeek.lastDay,
    end: lastWeek.end,
  });
  const perWeek = async (rows: SQL) => {
    const found = await queryRows<{ week: string; n: number }>(
      db,
      sql`select ${weekStartSql(sql.raw("a.day"), product.weekStart)}::text as week, count(distinct a.actor)::int as n
          from (${rows}) a group by 1`,
    );
    return new Map(found.map((r) => [r.week, Number(r.n)]));
  };
  const weeklyActive = await perWeek(activityRows(source, span));
  const out: FeatureAdoption[] = [];
  for (const f of list) {
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
            group by a.actor having min(a.day) >= ${cur.firstDay}::date) x`,
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
    const weeklyAdopters = await perWeek(featureRows(source, span, spec));
    const trend = weeks.map((w) => {
      const adopters = weeklyAdopters.get(w.firstDay) ?? 0;
      const weekActive = weeklyActive.get(w.firstDay) ?? 0;
      return {
        week: w.firstDay,
        adopters,
        active_users: weekActive,
        adoption_rate: safeRatio(adopters, weekActive),
      };
    });
    const figures = computeAdoption({
      adopters: Number(row?.adopters ?? 0),
      active,
      newAdopters,
      uses: Number(row?.uses ?? 0),
      previousAdopters: Number(ret?.pa ?? 0),
      previousAdoptersRetained: Number(ret?.par ?? 0),
      previousNonAdopters: Number(ret?.pn ?? 0),
      previousNonAdoptersRetained: Number(ret?.pnr ?? 0),
    });
    out.push({ key: f.key, name: f.name, event_names: f.eventNames, ...figures, trend });
  }
  return { product: product.slug, features: out };
}
