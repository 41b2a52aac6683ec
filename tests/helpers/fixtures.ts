import type { Db } from "../../db/client";
import type { IngestItem, NormalizedEvent } from "../../ingest/normalized";
import { runIngest } from "../../ingest/pipeline";
import { createProduct } from "../../lib/queries/products";

/** The instant the portfolio fixture is viewed at: Wednesday 2026-11-25 12:00 UTC. */
export const PORTFOLIO_NOW = "2026-11-25T12:00:00Z";

let counter = 0;
const ev = (timestamp: string, patch: Partial<NormalizedEvent>): IngestItem => ({
  kind: "event",
  value: {
    messageId: `fx-${++counter}`,
    timestamp: new Date(timestamp),
    event: "pageview",
    type: "page",
    ...patch,
  },
});

/**
 * Two products with hand-counted weekly active users at PORTFOLIO_NOW:
 * - alpha (UTC, Monday weeks): last full week Nov 16-22 has a1, u2 (who was a2
 *   before identifying) and a3 (at 23:59:59 Sunday) = 3; the week before has a1, a5 = 2.
 *   a4 falls on Monday Nov 23 (the current week); a6 only identified (not activity).
 * - beta (Asia/Tokyo, Monday weeks): the last full week is Nov 15 15:00Z - Nov 22 15:00Z;
 *   b1 and b3 are in it = 2 (b2 is Monday 01:00 in Tokyo: next week); the week before has b4 = 1.
 */
export async function loadPortfolioFixture(db: Db): Promise<void> {
  const alpha = await createProduct(db, {
    slug: "alpha",
    name: "Alpha",
    timezone: "UTC",
    weekStart: "monday",
  });
  const beta = await createProduct(db, {
    slug: "beta",
    name: "Beta",
    timezone: "Asia/Tokyo",
    weekStart: "monday",
  });
  const alphaEvents = [
    ev("2026-11-17T10:00:00Z", { anonymousId: "a1" }),
    ev("2026-11-10T10:00:00Z", { anonymousId: "a1" }),
    ev("2026-11-18T10:00:00Z", { anonymousId: "a2" }),
    ev("2026-11-18T10:01:00Z", { anonymousId: "a2", userId: "u2", event: "identify", type: "identify" }),
    ev("2026-11-19T10:00:00Z", { userId: "u2", event: "report_created", type: "track" }),
    ev("2026-11-22T23:59:59Z", { anonymousId: "a3" }),
    ev("2026-11-23T00:00:00Z", { anonymousId: "a4" }),
    ev("2026-11-09T00:00:00Z", { anonymousId: "a5" }),
    ev("2026-11-20T10:00:00Z", { anonymousId: "a6", userId: "u6", event: "identify", type: "identify" }),
  ];
  const betaEvents = [
    ev("2026-11-15T16:00:00Z", { anonymousId: "b1" }),
    ev("2026-11-22T16:00:00Z", { anonymousId: "b2" }),
    ev("2026-11-22T14:59:00Z", { anonymousId: "b3" }),
    ev("2026-11-15T14:00:00Z", { anonymousId: "b4" }),
  ];
  const now = new Date(PORTFOLIO_NOW);
  await runIngest(db, { productId: alpha.id, kind: "import", format: "fixture" }, alphaEvents, { now });
  await runIngest(db, { productId: beta.id, kind: "import", format: "fixture" }, betaEvents, { now });
}
