import type { RetentionCohort } from "../../lib/metrics/retention";
import { formatPercent } from "../../lib/ui/format";

/** Cell colour for a retention rate: deeper blue for higher retention; text stays readable on both ends. */
function cellStyle(rate: number | null): React.CSSProperties | undefined {
  if (rate === null) return undefined;
  const alpha = Math.min(1, Math.max(0.04, rate));
  return { background: `rgba(79, 70, 229, ${alpha.toFixed(2)})`, color: alpha > 0.55 ? "#fff" : "#1c1d21" };
}

/**
 * Weekly cohorts as a heat map: one row per cohort week, one column per week
 * since, each cell the share retained (the count in its tooltip and in the
 * CSV). Weeks not started yet are blank.
 */
export function RetentionHeatmap({ cohorts, weeks }: { cohorts: readonly RetentionCohort[]; weeks: number }) {
  return (
    <div className="table-scroll">
      <table className="data compact heat" data-testid="retention-heatmap">
        <caption className="sr-only">Weekly retention by cohort</caption>
        <thead>
          <tr>
            <th scope="col">Cohort week</th>
            <th scope="col" className="num">
              Actors
            </th>
            {Array.from({ length: weeks }, (_, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: week offsets are positional
              <th key={n} scope="col" className="num">
                W{n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => (
            <tr key={c.cohort} data-cohort={c.cohort}>
              <th scope="row">{c.cohort}</th>
              <td className="num">{c.size}</td>
              {c.rates.map((rate, n) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: week offsets are positional
                  key={n}
                  className="cell"
                  style={cellStyle(rate)}
                  title={rate === null ? "not started yet" : `${c.retained[n]} of ${c.size}`}
                  data-week={n}
                >
                  {rate === null ? "" : formatPercent(rate)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Mean retention curve over cohorts, weighted by cohort size, for weeks every counted cohort has reached. */
export function averageCurve(
  cohorts: readonly RetentionCohort[],
  weeks: number,
): { week: string; rate: number | null; cohorts: number }[] {
  return Array.from({ length: weeks }, (_, n) => {
    let retained = 0;
    let size = 0;
    let count = 0;
    for (const c of cohorts) {
      const r = c.retained[n];
      if (r === null || r === undefined || c.size === 0) continue;
      retained += r;
      size += c.size;
      count += 1;
    }
    return { week: `W${n}`, rate: size === 0 ? null : retained / size, cohorts: count };
  });
}
