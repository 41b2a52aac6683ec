import type { Command } from "commander";
import {
  createSource,
  deleteSource,
  listSources,
  SOURCE_KINDS,
  type Source,
  type SourceConfig,
  SourceExistsError,
  type SourceKind,
} from "../../../lib/queries/sources";
import { describeSource } from "../../sync";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

interface AddOptions {
  product: string;
  kind: string;
  query?: string;
  url?: string;
  tokenEnv?: string;
  baseUrl?: string;
  country?: string;
  json?: boolean;
}

/** A source as the CLI shows it: config flattened, never a token value (none is stored). */
function present(s: Source) {
  const c = s.config as SourceConfig;
  return {
    id: s.id,
    kind: s.kind,
    query: c.query ?? null,
    url: c.url ?? null,
    country: c.country ?? null,
    tokenEnv: c.tokenEnv ?? null,
    baseUrl: c.baseUrl ?? null,
    enabled: s.enabled,
    cursor: s.cursor,
    lastSyncAt: s.lastSyncAt,
    lastStatus: s.lastStatus,
  };
}

function parseId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new CliError("source id must be a positive whole number");
  return id;
}

export function registerSourceCommands(program: Command): void {
  const cmd = program.command("sources").description("APIs that `sync` pulls mentions and responses from");

  cmd
    .command("add")
    .description("add a pull source to a product")
    .requiredOption("--product <slug>", "product")
    .requiredOption("--kind <kind>", SOURCE_KINDS.join(", "))
    .option("--query <q>", "search terms (hn, reddit, x), app id (appstore) or form id (typeform)")
    .option("--url <u>", "feed URL (rss), listing URL (reddit) or reviews feed URL (appstore)")
    .option(
      "--token-env <NAME>",
      "environment variable holding the API token, read at sync time (never stored)",
    )
    .option(
      "--base-url <u>",
      "API base URL for this source (default: the public API or NORTHSTAR_<KIND>_API_URL)",
    )
    .option("--country <cc>", "App Store country (default us)")
    .option("--json", "print one JSON document")
    .action(async (opts: AddOptions) => {
      const source = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        try {
          return await createSource(db, {
            productId: product.id,
            kind: opts.kind as SourceKind,
            query: opts.query,
            url: opts.url,
            tokenEnv: opts.tokenEnv,
            baseUrl: opts.baseUrl,
            country: opts.country,
          });
        } catch (err) {
          if (err instanceof SourceExistsError) throw new CliError(err.message);
          throw err;
        }
      });
      emit(
        opts.json,
        present(source),
        () => `Added source ${source.id} (${describeSource(source)}) to ${opts.product}.`,
      );
    });

  cmd
    .command("list")
    .description("a product's sources with their cursor and last sync")
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (opts: { product: string; json?: boolean }) => {
      const rows = await withDatabase(async ({ db }) =>
        listSources(db, { productId: (await requireProduct(db, opts.product)).id }),
      );
      emit(opts.json, rows.map(present), () =>
        rows.length === 0
          ? `No sources yet. Add one with: npm run northstar -- sources add --product ${opts.product} --kind hn --query "<terms>"`
          : table(
              ["id", "source", "token env", "enabled", "last sync", "last status"],
              rows.map((s) => [
                s.id,
                describeSource(s),
                (s.config as SourceConfig).tokenEnv ?? "",
                s.enabled ? "yes" : "no",
                s.lastSyncAt ? s.lastSyncAt.toISOString().slice(0, 19).replace("T", " ") : "never",
                s.lastStatus ?? "",
              ]),
            ),
      );
    });

  cmd
    .command("remove")
    .description("remove a source (its past runs and stored items stay)")
    .argument("<id>", "source id (see sources list)")
    .requiredOption("--product <slug>", "product the source belongs to")
    .option("--json", "print one JSON document")
    .action(async (idArg: string, opts: { product: string; json?: boolean }) => {
      const sourceId = parseId(idArg);
      await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        if (!(await deleteSource(db, { productId: product.id, sourceId }))) {
          throw new CliError(`product "${opts.product}" has no source ${sourceId}`);
        }
      });
      emit(opts.json, { removed: sourceId }, () => `Removed source ${sourceId} from ${opts.product}.`);
    });
}
