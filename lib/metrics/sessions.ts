import { safeRatio } from "./ratios";

/**
 * A new session starts when an actor's next event comes 30 minutes or more
 * after the previous one ("gaps under 30 minutes" stay in one session).
 * Sessions are derived from events, never from the sender's session id, so
 * every source (and a session that spans an identify) is counted the same way.
 */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/** An activity event of one actor: epoch milliseconds and its type (identify events are not activity). */
export interface SessionEvent {
  t: number;
  type: string;
}

export interface SessionTotals {
  sessions: number;
  /** Sessions with exactly one pageview and no other event. */
  bounces: number;
  /** Sum over sessions of last minus first event, in milliseconds. */
  durationMs: number;
}

/** Split one actor's events (any order) into sessions and total them. */
export function summarizeSessions(events: readonly SessionEvent[]): SessionTotals {
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const totals: SessionTotals = { sessions: 0, bounces: 0, durationMs: 0 };
  let first = 0;
  let last = 0;
  let count = 0;
  let onlyPage = true;
  const close = () => {
    if (count === 0) return;
    totals.sessions += 1;
    totals.durationMs += last - first;
    if (count === 1 && onlyPage) totals.bounces += 1;
  };
  for (const e of sorted) {
    if (count > 0 && e.t - last >= SESSION_GAP_MS) {
      close();
      count = 0;
    }
    if (count === 0) {
      first = e.t;
      onlyPage = true;
    }
    last = e.t;
    count += 1;
    if (e.type !== "page") onlyPage = false;
  }
  close();
  return totals;
}

/** Add session totals of several actors. */
export function addSessionTotals(a: SessionTotals, b: SessionTotals): SessionTotals {
  return {
    sessions: a.sessions + b.sessions,
    bounces: a.bounces + b.bounces,
    durationMs: a.durationMs + b.durationMs,
  };
}

/** Bounce rate = bounced sessions / sessions; null without sessions. */
export function computeBounceRate(totals: SessionTotals): number | null {
  return safeRatio(totals.bounces, totals.sessions);
}

/** Mean session duration in seconds (single-event sessions count as 0 s); null without sessions. */
export function computeAvgSessionSeconds(totals: SessionTotals): number | null {
  const ms = safeRatio(totals.durationMs, totals.sessions);
  return ms === null ? null : ms / 1000;
}
