import type { EventType } from "../db/schema/events";
import type { QuestionKind } from "../db/schema/feedback";

/** What every web adapter produces: one analytics event, ready to store. */
export interface NormalizedEvent {
  messageId: string;
  timestamp: Date;
  event: string;
  type: EventType;
  userId?: string | null;
  anonymousId?: string | null;
  sessionId?: string | null;
  url?: string | null;
  path?: string | null;
  referrer?: string | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  utmTerm?: string | null;
  utmContent?: string | null;
  country?: string | null;
  device?: string | null;
  browser?: string | null;
  os?: string | null;
  properties?: Record<string, unknown>;
}

/** What every survey adapter produces: one scored answer or bare comment. */
export interface NormalizedSurveyResponse {
  externalId: string;
  submittedAt: Date;
  survey?: string | null;
  question?: string | null;
  questionKind: QuestionKind;
  score?: number | null;
  scaleMin?: number | null;
  scaleMax?: number | null;
  comment?: string | null;
  respondent?: string | null;
  userId?: string | null;
  metadata?: Record<string, unknown>;
}

/** What every social adapter produces: one post, comment or review. */
export interface NormalizedMention {
  externalId: string;
  createdAt: Date;
  url?: string | null;
  author?: string | null;
  title?: string | null;
  body?: string | null;
  engagement?: number;
  rating?: number | null;
  metadata?: Record<string, unknown>;
}

/**
 * A day's totals from a source that exports only aggregates (Plausible's
 * imported_*.csv). Stored apart from raw events and labelled as imported totals.
 */
export interface NormalizedDailyStat {
  /** Export table, e.g. "visitors", "sources", "pages". */
  table: string;
  /** Local calendar day, YYYY-MM-DD. */
  date: string;
  /** Dimension values of the row ({} for a table without dimensions). */
  dimensions: Record<string, string>;
  metrics: Record<string, number>;
}

/** A row an adapter could not turn into a record, with where it was and why. */
export interface Rejection {
  /** 1-based line in a file, or 0-based index in a JSON array or batch. */
  line: number | null;
  raw?: string;
  reason: string;
}

export type IngestItem =
  | { kind: "event"; value: NormalizedEvent; line?: number | null }
  | { kind: "survey"; value: NormalizedSurveyResponse; line?: number | null }
  | { kind: "mention"; value: NormalizedMention; line?: number | null }
  | { kind: "daily_stat"; value: NormalizedDailyStat; line?: number | null }
  | { kind: "reject"; value: Rejection };
