import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf } from "../../../ingest/adapters/read-text";
import { SURVEY_ADAPTERS } from "../../../ingest/adapters/survey";
import { type Adapter, UnreadableInputError } from "../../../ingest/adapters/types";
import { validateSurveyResponse } from "../../../ingest/validate";
import { collect, makeCtx } from "./adapter-helpers";

const FUTURE = new Date("2100-01-01T00:00:00Z");

/** Parse; the only acceptable exception is UnreadableInputError; every item is a reasoned reject or a valid record. */
async function checkAdapter(
  adapter: Adapter,
  data: string | Uint8Array,
  options: Record<string, string> = {},
) {
  const { ctx } = makeCtx(options);
  let items: Awaited<ReturnType<typeof collect>>;
  try {
    items = await collect(adapter.parse(bytesOf(data), ctx));
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableInputError);
    return;
  }
  for (const item of items as { kind: string; value: never }[]) {
    if (item.kind === "reject") expect((item.value as { reason: string }).reason.length).toBeGreaterThan(0);
    else {
      expect(item.kind).toBe("survey");
      expect(validateSurveyResponse(item.value, FUTURE)).toBeNull();
    }
  }
}

const cell = fc.oneof(
  fc.string(),
  fc.integer({ min: -3, max: 14 }).map(String),
  fc.constantFrom(
    "",
    "\u0000",
    "03/05/2024 10:00:00",
    "2024-03-05 10:00:00",
    "10 - Extremely likely",
    "1899-01-01",
    '"q"',
  ),
);
const csvRow = fc
  .array(cell, { maxLength: 8 })
  .map((cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(","));
const headers = fc.constantFrom(
  "Respondent ID,Collector ID,Start Date,End Date,How likely are you to recommend us?,Why?",
  "Timestamp,How satisfied are you?,Comments",
  "StartDate,EndDate,RecordedDate,ResponseId,NPS_Q,Q2",
  "Response ID,Score,Comment,Created At",
  "when,score,text",
);
const csvDoc = fc
  .tuple(headers, fc.array(csvRow, { maxLength: 8 }))
  .map(([h, rows]) => [h, ...rows].join("\n"));

const answer = fc.record({
  field: fc.record({
    id: fc.string(),
    type: fc.constantFrom("nps", "rating", "opinion_scale", "long_text", "email"),
  }),
  type: fc.constantFrom("number", "text", "email"),
  number: fc.oneof(fc.integer({ min: -5, max: 15 }), fc.double(), fc.constant(null)),
  text: fc.string(),
  email: fc.string(),
});
const typeformDoc = fc.record({
  items: fc.array(
    fc.record({
      token: fc.oneof(fc.string(), fc.constant(null)),
      submitted_at: fc.oneof(
        fc.constant("2024-03-05T10:00:00Z"),
        fc.string(),
        fc.constant("1990-01-01T00:00:00Z"),
      ),
      answers: fc.oneof(fc.array(answer, { maxLength: 4 }), fc.constant(null)),
      hidden: fc.dictionary(fc.string(), fc.string()),
    }),
    { maxLength: 5 },
  ),
});

describe.each(SURVEY_ADAPTERS.map((a) => [a.name, a] as const))(
  "%s survives random input",
  (_name, adapter) => {
    it("random bytes", async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), (bytes) => checkAdapter(adapter, bytes)),
        { numRuns: 60 },
      );
    });
    it("random CSV with survey-like headers", async () => {
      await fc.assert(
        fc.asyncProperty(csvDoc, (doc) =>
          checkAdapter(
            adapter,
            doc,
            adapter.name === "survey-csv"
              ? { "map.score": "score", "map.submitted_at": "when", kind: "nps" }
              : {},
          ),
        ),
        { numRuns: 80 },
      );
    });
    it("random JSON", async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(typeformDoc, fc.jsonValue()), (doc) =>
          checkAdapter(adapter, JSON.stringify(doc)),
        ),
        { numRuns: 80 },
      );
    });
  },
);
