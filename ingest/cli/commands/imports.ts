import type { Command } from "commander";
import { findRunProductId, getImportRun, listImportRuns } from "../../../lib/queries/import-runs";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

export function registerImportsCommands(program: Command): void {
  const imports = program.command("imports").description("recorded import, sync and demo runs");

  imports
    .command("list")
    .description("a product's runs, newest first")
    .requiredOption("--product <slug>", "product")
    .option("--limit <n>", "how many", "50")
    .option("--json", "print one JSON document")
    .action(async (opts: { product: string; limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new CliError("--limit must be from 1 to 1000");
      const runs = await withDatabase(async ({ db }) =>
        listImportRuns(db, { productId: (await requireProduct(db, opts.product)).id, limit }),
      );
      emit(opts.json, runs, () =>
        table(
          [
            "run",
            "kind",
            "format",
            "file",
            "status",
            "read",
            "inserted",
            "duplicates",
            "rejected",
            "started",
          ],
          runs.map((r) => [
            r.id,
            r.kind,
            r.format,
            r.fileName ?? "",
            r.status,
            r.read,
            r.inserted,
            r.duplicates,
            r.rejected,
            r.startedAt.toISOString().slice(0, 19).replace("T", " "),
          ]),
        ),
      );
    });

  imports
    .command("show")
    .description("one run with its rejected rows and their reasons")
    .argument("<runId>", "run id (printed by import)")
    .option("--product <slug>", "product (checked against the run)")
    .option("--json", "print one JSON document")
    .action(async (runIdArg: string, opts: { product?: string; json?: boolean }) => {
      const runId = Number(runIdArg);
      if (!Number.isInteger(runId) || runId < 1) throw new CliError("runId must be a positive whole number");
      const found = await withDatabase(async ({ db }) => {
        const productId = opts.product
          ? (await requireProduct(db, opts.product)).id
          : await findRunProductId(db, runId);
        return productId === null ? null : getImportRun(db, { productId, runId });
      });
      if (!found) throw new CliError(`no run ${runId}${opts.product ? ` for ${opts.product}` : ""}`);
      const { run, rejects } = found;
      emit(opts.json, { ...run, rejects }, () => {
        const head = `Run ${run.id}: ${run.kind} ${run.format}${run.fileName ? ` ${run.fileName}` : ""}, ${run.status}; read ${run.read}, inserted ${run.inserted}, duplicates ${run.duplicates}, rejected ${run.rejected}${run.error ? `\nerror: ${run.error}` : ""}`;
        if (rejects.length === 0) return head;
        return `${head}\n\n${table(
          ["line", "reason", "raw"],
          rejects.map((r) => [r.line ?? "", r.reason, (r.raw ?? "").replace(/\s+/g, " ").slice(0, 80)]),
        )}`;
      });
    });
}
