import { Suspense } from "react";
import type { WeekStart } from "../../lib/metrics/periods";
import { isPeriodOpen, nextPeriod } from "../../lib/ui/period-nav";
import { type PagePeriod, PERIOD_KEYS, periodToParams } from "../../lib/ui/period-params";
import { buildQuery, type SearchParams } from "../../lib/ui/search";
import { PeriodPicker } from "./period-picker";

/** "Nov 16 – Nov 22, 2026 (2026-W47)": how a resolved period reads in headings. */
export function describePeriod(p: {
  firstDay: string;
  lastDay: string;
  label: string;
  kind: string;
}): string {
  const fmt = (d: string, year: boolean) =>
    new Date(`${d}T12:00:00Z`).toLocaleDateString("en-US", {
      month: "short",
      day: "numeric",
      ...(year ? { year: "numeric" } : {}),
      timeZone: "UTC",
    });
  const range =
    p.firstDay === p.lastDay ? fmt(p.firstDay, true) : `${fmt(p.firstDay, false)} – ${fmt(p.lastDay, true)}`;
  return p.kind === "week" || p.kind === "month" ? `${range} (${p.label})` : range;
}

/**
 * The period picker with its previous / next links, built on the server from
 * the page's URL (other parameters are kept), and the warning when the URL's
 * period could not be read.
 */
export function PeriodBar({
  pathname,
  search,
  page,
  product,
  now,
}: {
  pathname: string;
  search: SearchParams;
  page: PagePeriod;
  product: { timezone: string; weekStart: WeekStart };
  now: Date;
}) {
  const keep: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(search))
    if (!(PERIOD_KEYS as readonly string[]).includes(k)) keep[k] = v;
  const href = (params: Record<string, string | undefined>) =>
    `${pathname}${buildQuery({ ...keep, ...params })}`;
  const next = nextPeriod(page.period, product.timezone, product.weekStart);
  const { period } = page;
  return (
    <div className="period-bar">
      <Suspense fallback={<div className="period-picker" />}>
        <PeriodPicker
          kind={period.kind}
          values={{ ...periodToParams(period), firstDay: period.firstDay, lastDay: period.lastDay }}
          label={describePeriod(period)}
          comparedWith={describePeriod(page.previous)}
          prevHref={href({ ...periodToParams(page.previous) })}
          nextHref={next.start.getTime() > now.getTime() ? null : href({ ...periodToParams(next) })}
          resetHref={page.isDefault ? null : href({})}
        />
      </Suspense>
      {page.warning ? (
        <p className="warning" role="alert" data-testid="period-warning">
          {page.warning}
        </p>
      ) : null}
      {isPeriodOpen(period, now) ? (
        <p className="muted">This period has not ended yet: its numbers are still moving.</p>
      ) : null}
    </div>
  );
}
