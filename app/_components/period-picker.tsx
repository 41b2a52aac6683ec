"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { PERIOD_KEYS, type PeriodParams } from "../../lib/ui/period-params";

type Kind = "day" | "week" | "month" | "custom";

/**
 * The period control of every dashboard: day, week, month or a custom range,
 * with arrows to the previous and next period. It only writes the URL; the
 * server reads the period back from it, so any view can be shared as a link.
 */
export function PeriodPicker({
  kind,
  values,
  label,
  comparedWith,
  prevHref,
  nextHref,
  resetHref,
}: {
  kind: Kind;
  values: PeriodParams & { firstDay: string; lastDay: string };
  label: string;
  comparedWith?: string;
  prevHref: string;
  nextHref: string | null;
  resetHref: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [chosen, setChosen] = useState<Kind>(kind);
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams(search.toString());
    for (const key of PERIOD_KEYS) next.delete(key);
    const put = (key: string) => {
      const v = String(form.get(key) ?? "").trim();
      if (v) next.set(key, v);
    };
    if (chosen === "custom") {
      put("from");
      put("to");
    } else put(chosen);
    const query = next.toString();
    router.push(`${pathname}${query ? `?${query}` : ""}`);
  };
  return (
    <div className="period-picker" data-testid="period-picker">
      <div className="period-current">
        <Link href={prevHref} aria-label="Previous period" className="period-arrow" data-testid="period-prev">
          ‹
        </Link>
        <div>
          <strong data-testid="period-label">{label}</strong>
          {comparedWith ? <div className="muted">vs {comparedWith}</div> : null}
        </div>
        {nextHref ? (
          <Link href={nextHref} aria-label="Next period" className="period-arrow" data-testid="period-next">
            ›
          </Link>
        ) : (
          <span className="period-arrow disabled" aria-hidden="true">
            ›
          </span>
        )}
      </div>
      <form onSubmit={apply} className="period-form" aria-label="Choose a period">
        <label>
          <span className="sr-only">Period kind</span>
          <select
            value={chosen}
            onChange={(e) => setChosen(e.target.value as Kind)}
            name="kind"
            data-testid="period-kind"
          >
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
            <option value="custom">Custom range</option>
          </select>
        </label>
        {chosen === "day" ? (
          <label>
            <span className="sr-only">Day</span>
            <input type="date" name="day" defaultValue={values.day ?? values.lastDay} required />
          </label>
        ) : null}
        {chosen === "week" ? (
          <label>
            <span className="sr-only">ISO week</span>
            <input
              type="week"
              name="week"
              defaultValue={values.week ?? ""}
              required
              data-testid="period-week"
            />
          </label>
        ) : null}
        {chosen === "month" ? (
          <label>
            <span className="sr-only">Month</span>
            <input
              type="month"
              name="month"
              defaultValue={values.month ?? values.lastDay.slice(0, 7)}
              required
            />
          </label>
        ) : null}
        {chosen === "custom" ? (
          <>
            <label>
              <span className="sr-only">From</span>
              <input
                type="date"
                name="from"
                defaultValue={values.from ?? values.firstDay}
                required
                data-testid="period-from"
              />
            </label>
            <span aria-hidden="true">–</span>
            <label>
              <span className="sr-only">To (inclusive)</span>
              <input
                type="date"
                name="to"
                defaultValue={values.to ?? values.lastDay}
                required
                data-testid="period-to"
              />
            </label>
          </>
        ) : null}
        <button type="submit" data-testid="period-apply">
          Apply
        </button>
        {resetHref ? (
          <Link href={resetHref} className="muted">
            Last full week
          </Link>
        ) : null}
      </form>
    </div>
  );
}
