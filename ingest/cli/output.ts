/** A failure whose message is shown to the user as is, on one line. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Print exactly one JSON document under --json, human text otherwise. */
export function emit(json: boolean | undefined, data: unknown, human: () => string): void {
  if (json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/** Progress lines go to stderr and only to a terminal, so --json output and pipes stay clean. */
export function progress(json: boolean | undefined, message: string): void {
  if (!json && process.stderr.isTTY) process.stderr.write(`${message}\n`);
}

/** Plain-text table with padded columns. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
