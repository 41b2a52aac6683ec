import { parse } from "csv-parse";
import { decodeText } from "./read-text";

export interface CsvRecord {
  /** 1-based line in the file where this record starts. */
  line: number;
  cells: string[];
  /** The record as it stood in the file (for rejected-row storage). */
  raw: string;
}

/**
 * Stream CSV records with their line numbers. Quoted cells may hold commas,
 * quotes and newlines; rows may have differing column counts (callers check);
 * the BOM is removed. Delimiter defaults to comma.
 */
export async function* readCsv(
  input: AsyncIterable<Uint8Array>,
  options: { delimiter?: string } = {},
): AsyncGenerator<CsvRecord> {
  const parser = parse({
    delimiter: options.delimiter ?? ",",
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
    info: true,
    raw: true,
  });
  // CRLF is folded to LF before parsing: csv-parse counts the \r and the \n of a
  // quoted CRLF as two lines, which would put every later line number off.
  const feed = (async () => {
    try {
      let pendingCr = false;
      for await (const chunk of decodeText(input)) {
        let text: string = (pendingCr ? "\r" : "") + chunk;
        pendingCr = text.endsWith("\r");
        if (pendingCr) text = text.slice(0, -1);
        text = text.replace(/\r\n/g, "\n");
        if (!parser.write(text)) await new Promise((r) => parser.once("drain", r));
      }
      if (pendingCr) parser.write("\r");
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  for await (const rec of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
    raw: string;
  }>) {
    const raw = rec.raw.replace(/^\n+/, "").replace(/\n$/, "");
    const startLine = rec.info.lines - (raw.match(/\n/g)?.length ?? 0);
    yield { line: startLine, cells: rec.record, raw };
  }
  await feed;
}
