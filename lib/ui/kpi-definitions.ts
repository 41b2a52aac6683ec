import type { ValueKind } from "./format";

export interface KpiDefinition {
  key: string;
  label: string;
  kind: ValueKind;
  /** Shown in the card's definition popover (from docs/metrics.md). */
  definition: string;
  lowerIsBetter?: boolean;
}

/** The KPI cards of the weekly board, in reading order, with the definitions of docs/metrics.md. */
export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    key: "wau",
    label: "Weekly active users",
    kind: "count",
    definition:
      "Distinct actors (user id, else the identified anonymous id) with at least one event other than identify in the week containing the period's last day.",
  },
  {
    key: "dau",
    label: "Daily active users (mean)",
    kind: "mean",
    definition:
      "Mean over every local day of the period of the distinct actors active that day; quiet days count as 0.",
  },
  {
    key: "mau",
    label: "Monthly active users",
    kind: "count",
    definition: "Distinct actors in the calendar month (product time zone) containing the period's last day.",
  },
  {
    key: "stickiness",
    label: "Stickiness",
    kind: "ratio",
    definition: "Mean DAU over the period divided by MAU.",
  },
  {
    key: "new_users",
    label: "New users",
    kind: "count",
    definition: "Active actors whose first activity ever falls in the period.",
  },
  {
    key: "returning_users",
    label: "Returning users",
    kind: "count",
    definition: "Active users minus new users.",
  },
  {
    key: "sessions",
    label: "Sessions",
    kind: "count",
    definition:
      "An actor's events with gaps under 30 minutes; computed from events, never from the sender's session id. Sessions crossing the period boundary are cut there.",
  },
  {
    key: "bounce_rate",
    label: "Bounce rate",
    kind: "ratio",
    lowerIsBetter: true,
    definition: "Sessions with exactly one event, a pageview, over all sessions.",
  },
  {
    key: "avg_session_seconds",
    label: "Avg. session duration",
    kind: "seconds",
    definition: "Mean of last minus first event per session (a one-event session lasts 0 s).",
  },
  {
    key: "nps",
    label: "NPS",
    kind: "nps",
    definition:
      "% promoters (9-10) minus % detractors (0-6) on 0-10 answers, with the 95% margin of error. Fewer than 30 responses: read with care.",
  },
  {
    key: "csat",
    label: "CSAT",
    kind: "percent",
    definition: "% of CSAT answers scoring 4-5 on a 1-5 scale (on another scale, the top two values).",
  },
  {
    key: "net_sentiment",
    label: "Net sentiment",
    kind: "sentiment",
    definition:
      "Over scored comments and mentions: (positive (> 0.05) - negative (< -0.05)) / scored, from -1 to +1.",
  },
  {
    key: "mentions",
    label: "Mentions",
    kind: "count",
    definition: "Posts, comments and reviews about the product on public channels in the period.",
  },
];

/** Conversion of a goal event, as its card explains it. */
export function conversionDefinition(goal: string): string {
  return `Distinct actors who fired "${goal}" in the period divided by the active users of the period.`;
}
