import type { Command } from "commander";
import { type ApiKeyKind, createApiKey, listApiKeys, revokeApiKey } from "../../../lib/auth/api-keys";
import { CliError, emit, table } from "../output";
import { requireProduct } from "../product-arg";
import { withDatabase } from "../with-db";

function parseKind(kind: string): ApiKeyKind {
  if (kind !== "write" && kind !== "read") throw new CliError("--kind must be write or read");
  return kind;
}

export function registerKeyCommands(program: Command): void {
  const keys = program
    .command("keys")
    .description("per-product API keys (write: ingest only; read: read API only)");

  keys
    .command("create")
    .description("create a key; it is printed once and only its hash is stored")
    .requiredOption("--product <slug>", "product the key belongs to")
    .requiredOption("--kind <kind>", "write or read")
    .option("--name <name>", "a label, e.g. where the key is used")
    .option("--json", "print one JSON document")
    .action(async (opts: { product: string; kind: string; name?: string; json?: boolean }) => {
      const kind = parseKind(opts.kind);
      const created = await withDatabase(async ({ db }) => {
        const product = await requireProduct(db, opts.product);
        return createApiKey(db, { productId: product.id, kind, name: opts.name });
      });
      emit(
        opts.json,
        {
          id: created.id,
          product: opts.product,
          kind,
          name: created.name,
          prefix: created.prefix,
          key: created.key,
        },
        () =>
          `${created.key}\n\nThis ${kind} key for ${opts.product} is shown once: store it now. (id ${created.id})`,
      );
    });

  keys
    .command("list")
    .description("list a product's keys (prefixes only)")
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (opts: { product: string; json?: boolean }) => {
      const rows = await withDatabase(async ({ db }) =>
        listApiKeys(db, (await requireProduct(db, opts.product)).id),
      );
      emit(opts.json, rows, () =>
        rows.length === 0
          ? `No keys for ${opts.product}.`
          : table(
              ["id", "kind", "prefix", "name", "created", "status"],
              rows.map((k) => [
                k.id,
                k.kind,
                `${k.prefix}…`,
                k.name ?? "",
                k.createdAt.toISOString().slice(0, 10),
                k.revokedAt ? "revoked" : "active",
              ]),
            ),
      );
    });

  keys
    .command("revoke")
    .description("revoke a key by id or prefix, with immediate effect")
    .argument("<key>", "key id or prefix")
    .requiredOption("--product <slug>", "product")
    .option("--json", "print one JSON document")
    .action(async (idOrPrefix: string, opts: { product: string; json?: boolean }) => {
      const revoked = await withDatabase(async ({ db }) =>
        revokeApiKey(db, { productId: (await requireProduct(db, opts.product)).id, idOrPrefix }),
      );
      if (!revoked) throw new CliError(`no active key "${idOrPrefix}" for ${opts.product}`);
      emit(opts.json, { revoked: idOrPrefix }, () => `Revoked ${idOrPrefix}.`);
    });
}
