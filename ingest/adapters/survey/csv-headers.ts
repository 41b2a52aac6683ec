import { type CsvRecord, readCsv } from "../read-csv";
import { UnreadableInputError } from "../types";

/** CSV records, with the parser's own errors (an unclosed quote...) reported as an unreadable file. */
export async function* readCsvOrThrow(
  input: AsyncIterable<Uint8Array>,
  fileName: string,
): AsyncGenerator<CsvRecord> {
  try {
    yield* readCsv(input);
  } catch (err) {
    if (err instanceof UnreadableInputError) throw err;
    throw new UnreadableInputError(`${fileName} is not readable CSV: ${(err as Error).message}`);
  }
}

/** Read the next `count` records of a CSV as header rows, or throw naming the file. */
export async function readHeaderRows(
  rows: AsyncIterator<CsvRecord>,
  count: number,
  fileName: string,
  format: string,
): Promise<string[][]> {
  const out: string[][] = [];
  for (let i = 0; i < count; i++) {
    const next = await rows.next();
    if (next.done) {
      throw new UnreadableInputError(
        `${fileName} is not a ${format} export: expected ${count} header row(s), found ${out.length}`,
      );
    }
    out.push(next.value.cells);
  }
  return out;
}

/** Lower-case, no spaces, no punctuation, no NUL: "Respondent ID" and "RespondentID" compare equal. */
export const squash = (text: string | undefined): string =>
  (text ?? "")
    .replace(/\u0000/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

/** The first line of a CSV sample split into trimmed cells (quotes removed); enough for sniffing. */
export function sniffHeader(sample: string): string[] {
  const first = sample.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return first.split(",").map((c) => c.replace(/^"|"$/g, "").trim());
}
