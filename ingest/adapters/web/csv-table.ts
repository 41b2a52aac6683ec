import { type CsvRecord, readCsv } from "../read-csv";
import { UnreadableInputError } from "../types";
import { refuseBinary } from "./input";

export interface CsvTable {
  /** Header names as written (BOM and surrounding spaces removed). */
  header: string[];
  /** Data records after the header. */
  rows: AsyncIterable<CsvRecord>;
}

/** Index of a column by name: exact first, then case-insensitive; -1 when absent. */
export function columnIndex(header: string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === lower);
}

/** A record's cells keyed by header name (missing trailing cells read as ""). */
export function recordObject(header: string[], cells: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  header.forEach((h, i) => {
    out[h] = cells[i] ?? "";
  });
  return out;
}

/**
 * Open a CSV input: refuse binary data, read the header row, and stream the
 * data rows. A CSV syntax failure the reader cannot get past ends the whole
 * import with a message naming the line, never a raw parser exception.
 */
export async function openCsv(input: AsyncIterable<Uint8Array>, expected: string): Promise<CsvTable> {
  const records = readCsv(refuseBinary(input, expected))[Symbol.asyncIterator]();
  let lastLine = 0;
  const next = async (): Promise<IteratorResult<CsvRecord>> => {
    try {
      const r = await records.next();
      if (!r.done) lastLine = r.value.line;
      return r;
    } catch (err) {
      if (err instanceof UnreadableInputError) throw err;
      throw new UnreadableInputError(
        `CSV could not be read after line ${lastLine}: ${(err as Error).message}`,
      );
    }
  };
  const first = await next();
  if (first.done) return { header: [], rows: (async function* () {})() };
  const header = first.value.cells.map((c) => c.replace(/^\uFEFF/, "").trim());
  return {
    header,
    rows: (async function* () {
      for (let r = await next(); !r.done; r = await next()) yield r.value;
    })(),
  };
}
