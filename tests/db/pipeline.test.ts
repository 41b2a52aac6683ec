import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importRuns, rejectedRows } from "../../db/schema/ingest";
import type { IngestItem, NormalizedEvent } from "../../ingest/normalized";
import { runIngest } from "../../ingest/pipeline";
import { countActiveActors } from "../../lib/queries/active-users";
import { createProduct } from "../../lib/queries/products";
import { createTestDatabase, ENGINES, type TestDatabase } from "../helpers/test-db";

const now = new Date("2026-11-27T12:00:00Z");
const at = (iso: string) => new Date(iso);
const ev = (id: string, patch: Partial<NormalizedEvent>): IngestItem => ({
  kind: "event",
  line: Number(id.replace(/\D/g, "")) || null,
  value: { messageId: id, timestamp: at("2026-11-17T10:00:00Z"), event: "pageview", type: "page", ...patch },
});

describe.each(ENGINES)("ingest pipeline on $label", ({ engine, skip }) => {
  let t: TestDatabase;
  let productId: number;
  let otherProductId: number;
  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(engine);
    productId = (
      await createProduct(t.db, { slug: "app", name: "App", timezone: "UTC", weekStart: "monday" })
    ).id;
    otherProductId = (
      await createProduct(t.db, { slug: "other", name: "Other", timezone: "UTC", weekStart: "monday" })
    ).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip)(
    "stores each message once, keeps rejects with line and reason, records the run",
    async () => {
      const items: IngestItem[] = [
        ev("m1", { anonymousId: "anon-1" }),
        ev("m2", { anonymousId: "anon-1", event: "signed_up", type: "track" }),
        ev("m2", { anonymousId: "anon-1", event: "signed_up", type: "track" }), // same message twice in one batch
        ev("m3", { anonymousId: null, userId: null }),
        ev("m4", { anonymousId: "anon-2", timestamp: at("2026-12-30T00:00:00Z") }),
        { kind: "reject", value: { line: 7, raw: "{not json", reason: "line 7 is not valid JSON" } },
      ];
      const first = await runIngest(
        t.db,
        { productId, kind: "import", format: "test", fileName: "a.ndjson" },
        items,
        {
          now,
        },
      );
      expect(first).toMatchObject({ status: "succeeded", read: 6, inserted: 2, duplicates: 1, rejected: 3 });

      const [run] = await t.db.select().from(importRuns).where(eq(importRuns.id, first.runId));
      expect(run).toMatchObject({ status: "succeeded", read: 6, inserted: 2, duplicates: 1, rejected: 3 });
      expect(run?.finishedAt).toBeInstanceOf(Date);

      const rejects = await t.db
        .select({ line: rejectedRows.line, reason: rejectedRows.reason })
        .from(rejectedRows)
        .where(eq(rejectedRows.runId, first.runId))
        .orderBy(rejectedRows.line);
      expect(rejects).toEqual([
        { line: 3, reason: "neither user id nor anonymous id is set" },
        { line: 4, reason: expect.stringMatching(/more than 24 hours in the future/) },
        { line: 7, reason: "line 7 is not valid JSON" },
      ]);

      const again = await runIngest(t.db, { productId, kind: "import", format: "test" }, items, { now });
      expect(again).toMatchObject({ inserted: 0, duplicates: 3, rejected: 3 });
    },
  );

  it.skipIf(skip)("counts a person once across anonymous and identified events", async () => {
    const items: IngestItem[] = [
      ev("p1", { anonymousId: "anon-9", timestamp: at("2026-11-18T09:00:00Z") }),
      ev("p2", { anonymousId: "anon-9", userId: "user-9", event: "identify", type: "identify" }),
      ev("p3", {
        userId: "user-9",
        event: "report_created",
        type: "track",
        timestamp: at("2026-11-19T09:00:00Z"),
      }),
      ev("p4", { anonymousId: "anon-10", timestamp: at("2026-11-20T09:00:00Z") }),
    ];
    await runIngest(t.db, { productId: otherProductId, kind: "import", format: "test" }, items, { now });
    const wau = await countActiveActors(t.db, {
      productId: otherProductId,
      start: at("2026-11-16T00:00:00Z"),
      end: at("2026-11-23T00:00:00Z"),
    });
    expect(wau).toBe(2); // user-9 (was anon-9) and anon-10
  });

  it.skipIf(skip)("never counts another product's events", async () => {
    const wau = await countActiveActors(t.db, {
      productId,
      start: at("2026-11-16T00:00:00Z"),
      end: at("2026-11-23T00:00:00Z"),
    });
    expect(wau).toBe(1); // anon-1 only
  });
});
