import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf } from "../../../ingest/adapters/read-text";
import { SOCIAL_ADAPTERS } from "../../../ingest/adapters/social";
import { type Adapter, UnreadableInputError } from "../../../ingest/adapters/types";
import { validateMention } from "../../../ingest/validate";
import { collect, makeCtx } from "./adapter-helpers";

const FUTURE = new Date("2100-01-01T00:00:00Z");

async function checkAdapter(adapter: Adapter, data: string | Uint8Array) {
  const { ctx } = makeCtx();
  let items: { kind: string; value: unknown }[];
  try {
    items = await collect(adapter.parse(bytesOf(data), ctx));
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableInputError);
    return;
  }
  for (const item of items) {
    if (item.kind === "reject") expect((item.value as { reason: string }).reason.length).toBeGreaterThan(0);
    else {
      expect(item.kind).toBe("mention");
      expect(validateMention(item.value as never, FUTURE)).toBeNull();
    }
  }
}

const anyVal = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean());
const label = fc.record({ label: anyVal });
const shaped = fc.oneof(
  fc.record({
    hits: fc.array(
      fc.record({
        objectID: anyVal,
        created_at_i: anyVal,
        created_at: anyVal,
        title: anyVal,
        comment_text: anyVal,
        points: anyVal,
      }),
      { maxLength: 4 },
    ),
  }),
  fc.record({
    kind: fc.constant("Listing"),
    data: fc.record({
      children: fc.array(
        fc.record({
          kind: fc.constantFrom("t1", "t3", "more", "t5"),
          data: fc.record({
            id: anyVal,
            title: anyVal,
            body: anyVal,
            selftext: anyVal,
            created_utc: anyVal,
            score: anyVal,
            permalink: anyVal,
          }),
        }),
        { maxLength: 4 },
      ),
    }),
  }),
  fc.record({
    data: fc.array(
      fc.record({
        id: anyVal,
        text: anyVal,
        created_at: anyVal,
        author_id: anyVal,
        public_metrics: fc.record({ like_count: anyVal }),
      }),
      { maxLength: 4 },
    ),
    meta: fc.record({ next_token: anyVal }),
  }),
  fc.record({
    feed: fc.record({
      entry: fc.oneof(
        fc.array(fc.record({ id: label, updated: label, "im:rating": label, title: label, content: label }), {
          maxLength: 3,
        }),
        fc.record({ id: label, updated: label }),
        fc.constant(null),
      ),
    }),
  }),
);
const xmlDoc = fc
  .array(
    fc.record({
      title: fc.string(),
      date: fc.oneof(
        fc.string(),
        fc.constant("Tue, 05 Mar 2024 10:00:00 GMT"),
        fc.constant("1970-01-01T00:00:00Z"),
      ),
    }),
    { maxLength: 4 },
  )
  .chain((items) =>
    fc.constantFrom(
      `<rss><channel>${items.map((i) => `<item><title>${i.title.replace(/[<&]/g, "")}</title><pubDate>${i.date.replace(/[<&]/g, "")}</pubDate></item>`).join("")}</channel></rss>`,
      `<feed xmlns="http://www.w3.org/2005/Atom">${items.map((i) => `<entry><title>${i.title}</title><updated>${i.date}</updated></entry>`).join("")}</feed>`,
    ),
  );
const csvDoc = fc
  .array(
    fc.array(fc.oneof(fc.string(), fc.constantFrom("5", "0", "1709632800000", "2024-03-05T10:00:00Z")), {
      maxLength: 16,
    }),
    { maxLength: 5 },
  )
  .map((rows) =>
    [
      "Package Name,Review Submit Date and Time,Review Submit Millis Since Epoch,Star Rating,Review Text,Review Link",
      ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(",")),
    ].join("\n"),
  );

describe.each(SOCIAL_ADAPTERS.map((a) => [a.name, a] as const))(
  "%s survives random input",
  (_name, adapter) => {
    it("random bytes", async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), (b) => checkAdapter(adapter, b)),
        { numRuns: 60 },
      );
    });
    it("random JSON, shaped and unshaped", async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(shaped, fc.jsonValue()), (d) => checkAdapter(adapter, JSON.stringify(d))),
        { numRuns: 100 },
      );
    });
    it("random feeds and CSV", async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(xmlDoc, csvDoc), (d) => checkAdapter(adapter, d)),
        { numRuns: 60 },
      );
    });
  },
);
