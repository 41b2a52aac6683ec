import type { IngestItem } from "../normalized";

export type AdapterKind = "web" | "survey" | "social";

/** What an adapter is told about the run it is parsing for. */
export interface AdapterContext {
  /** File name (or "-" / a URL) for messages. */
  fileName: string;
  /** The product's IANA zone: for sources whose timestamps carry no offset (Google Forms, Umami). */
  timezone: string;
  /** The server's clock, for relative checks. */
  now: Date;
  /**
   * User-supplied options: `--map field=column` pairs under "map.<field>", plus
   * "kind" (nps|csat|ces) and "timezone" when given on the command line.
   */
  options: Record<string, string>;
  /** Record something worth showing in the run summary (e.g. which column was taken as the NPS score). */
  note(key: string, value: unknown): void;
}

/**
 * The one contract every source implements. Adapters are pure: bytes in,
 * normalized records or reasoned rejections out, streaming, no database.
 * An adapter never throws for a bad row: it yields `{ kind: "reject" }` with
 * the 1-based line (or 0-based index) and a reason that names the field. It
 * throws (with a message naming the file) only when the whole input is
 * unusable: not this format, not text, truncated beyond repair.
 */
export interface Adapter {
  /** Format name as given to `--format`, e.g. "segment". */
  name: string;
  kind: AdapterKind;
  /** One line for `import --help` and the upload form. */
  description: string;
  /**
   * How sure the adapter is (0..1) that a file is in its format, from its name
   * and its first bytes (decoded as UTF-8 or UTF-16 by BOM). Used by `--format auto`.
   */
  sniff(sample: string, fileName: string): number;
  /** Parse the whole input. `input` yields raw bytes; decode (BOM, UTF-16) inside. */
  parse(input: AsyncIterable<Uint8Array>, ctx: AdapterContext): AsyncIterable<IngestItem>;
}

/** A whole-input failure: shown to the user as `<file>: <message>`. */
export class UnreadableInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableInputError";
  }
}
