import type { IngestItem, NormalizedEvent } from "../../normalized";
import { validateEvent } from "../../validate";
import { readJsonRecords } from "./json-records";
import type { Json } from "./values";

export type Converted = { event: NormalizedEvent } | { reason: string };

/**
 * Run a record converter over a JSON/NDJSON input: each record becomes an
 * event item or a reject carrying its line (or index), its raw text and the
 * converter's reason. A converter bug on one odd record becomes that record's
 * rejection instead of aborting the whole import. Events are validated here
 * too (as the pipeline will) so a rejection keeps the record's original text.
 */
export async function* parseJsonEvents(
  input: AsyncIterable<Uint8Array>,
  expected: string,
  now: Date,
  convert: (record: Json, envelope: Json | null) => Converted,
): AsyncGenerator<IngestItem> {
  for await (const rec of readJsonRecords(input, expected)) {
    if (!rec.ok) {
      yield { kind: "reject", value: { line: rec.line, raw: rec.raw, reason: rec.reason } };
      continue;
    }
    let result: Converted;
    try {
      result = convert(rec.value, rec.envelope);
    } catch (err) {
      result = { reason: `record could not be read: ${(err as Error).message}` };
    }
    if ("event" in result) {
      const why = validateEvent(result.event, now);
      if (why) result = { reason: why };
    }
    if ("event" in result) yield { kind: "event", value: result.event, line: rec.line };
    else yield { kind: "reject", value: { line: rec.line, raw: rec.raw, reason: result.reason } };
  }
}

/** Read a named date field; `invalid` says which present value failed to parse. */
export function readDateField(
  record: Json,
  field: string,
  parse: (v: unknown) => Date | null,
): { date: Date | null; invalid: string | null } {
  const value = record[field];
  if (value === undefined || value === null || value === "") return { date: null, invalid: null };
  const date = parse(value);
  return date ? { date, invalid: null } : { date: null, invalid: field };
}
