import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { ADAPTERS } from "../../adapters/registry";
import { UnreadableInputError } from "../../adapters/types";
import { type ImportResult, importFile } from "../../import-file";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { createImportProgress } from "../progress-bar";
import { withDatabase } from "../with-db";

interface ImportOptions {
  product: string;
  format: string;
  map: string[];
  kind?: string;
  timezone?: string;
  json?: boolean;
}

/** `--map timestamp=ts --map "score=How likely..."` or `--map a=b,c=d` into adapter options. */
export function parseMappings(values: string[], kind?: string, timezone?: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const value of values) {
    const pairs = value.includes("=") && !/=.*,.*=/.test(value) ? [value] : value.split(",");
    for (const pair of pairs) {
      const eq = pair.indexOf("=");
      if (eq < 1) throw new CliError(`--map takes field=column, got "${pair}"`);
      options[`map.${pair.slice(0, eq).trim()}`] = pair.slice(eq + 1).trim();
    }
  }
  if (kind) {
    if (!["nps", "csat", "ces"].includes(kind)) throw new CliError("--kind must be nps, csat or ces");
    options.kind = kind;
  }
  if (timezone) options.timezone = timezone;
  return options;
}

function checkReadable(file: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code)}`,
    );
  }
  if (stat.isDirectory()) throw new CliError(`${file}: is a directory, not a file`);
  return stat.size;
}

function summaryLine(file: string, r: ImportResult): string {
  const chosen = r.detected ? ` (detected ${r.format})` : "";
  return `${file}${chosen}: read ${r.read}, inserted ${r.inserted}, duplicates ${r.duplicates}, rejected ${r.rejected} (run ${r.runId})`;
}

export function registerImportCommand(program: Command): void {
  program
    .command("import")
    .description("import export files into a product (one recorded run per file; re-importing adds nothing)")
    .argument("<files...>", "files to import")
    .requiredOption("--product <slug>", "product to import into")
    .option(
      "--format <name>",
      `auto, or one of: ${ADAPTERS.map((a) => a.name).join(", ") || "(none yet)"}`,
      "auto",
    )
    .option("--map <field=column...>", "column mapping for csv / survey-csv (repeatable)", [])
    .option("--kind <kind>", "score kind for surveys: nps, csat or ces")
    .option("--timezone <IANA>", "zone of timestamps without an offset (default: the product's)")
    .option("--json", "print one JSON document")
    .action(async (files: string[], opts: ImportOptions) => {
      const options = parseMappings(opts.map, opts.kind, opts.timezone);
      const sizes = files.map(checkReadable);
      const results = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        const out: (ImportResult & { file: string })[] = [];
        for (const [i, file] of files.entries()) {
          const progress = createImportProgress(basename(file), sizes[i] ?? 0, opts.json);
          try {
            const result = await importFile(db, {
              productId: product.id,
              timezone: product.timezone,
              format: opts.format,
              fileName: basename(file),
              open: () => progress.track(createReadStream(file)),
              options,
              onProgress: (c) => progress.update(c),
            });
            out.push({ file, ...result });
          } catch (err) {
            if (err instanceof UnreadableInputError) throw new CliError(`${file}: ${err.message}`);
            throw err;
          } finally {
            progress.stop();
          }
          if (!opts.json && files.length > 1)
            process.stderr.write(`${summaryLine(file, out[out.length - 1] as ImportResult)}\n`);
        }
        return out;
      });
      const compact = results.map(
        ({ file, runId, format, read, inserted, duplicates, rejected, summary }) => ({
          file,
          runId,
          format,
          read,
          inserted,
          duplicates,
          rejected,
          summary,
        }),
      );
      if (compact.length === 1) {
        const [only] = compact;
        emit(opts.json, only, () => summaryLine(files[0] ?? "", results[0] as ImportResult));
      } else {
        emit(opts.json, { runs: compact }, () =>
          table(
            ["file", "format", "read", "inserted", "duplicates", "rejected", "run"],
            compact.map((r) => [r.file, r.format, r.read, r.inserted, r.duplicates, r.rejected, r.runId]),
          ),
        );
      }
    });
}
