import { Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { DatabaseUnavailableError, describeDatabaseError, isUnavailableError } from "../../db/errors";
import { registerDbCommands } from "./commands/db";
import { registerDemoCommand } from "./commands/demo";
import { registerEnrichCommand } from "./commands/enrich";
import { registerImportCommand } from "./commands/import";
import { registerImportsCommands } from "./commands/imports";
import { registerKeyCommands } from "./commands/keys";
import { registerMetricsCommands } from "./commands/metrics";
import { registerProductCommands } from "./commands/products";
import { registerSourceCommands } from "./commands/sources";
import { registerStartCommand } from "./commands/start";
import { registerSyncCommand } from "./commands/sync";
import { registerTargetCommands } from "./commands/targets";
import { registerUserCommands } from "./commands/users";
import { CliError } from "./output";

function describeError(err: unknown): string {
  if (err instanceof ZodError) {
    return err.issues
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; ");
  }
  if (err instanceof CliError || err instanceof DatabaseUnavailableError) return err.message;
  return describeDatabaseError(err);
}

export function buildProgram(): Command {
  const program = new Command("northstar")
    .description("Northstar: product metrics, surveys and mentions per product")
    .showSuggestionAfterError(true)
    .exitOverride();
  program.configureOutput({ outputError: (str, write) => write(`${str.trim().split("\n")[0]}\n`) });
  registerStartCommand(program);
  registerDbCommands(program);
  registerProductCommands(program);
  registerDemoCommand(program);
  registerKeyCommands(program);
  registerMetricsCommands(program);
  registerTargetCommands(program);
  registerUserCommands(program);
  registerImportCommand(program);
  registerImportsCommands(program);
  registerEnrichCommand(program);
  registerSourceCommands(program);
  registerSyncCommand(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * postgres.js 3.4 fetches the server's array types on every new connection
 * without awaiting that query: when the server goes away just then (the
 * outage an import must survive), its rejection has no handler and would end
 * the process with a bare ECONNREFUSED, although every query a command awaits
 * fails on its own and is reported. Those rejections are ignored; any other
 * still ends the process, as Node does by default. Not for `start`, where
 * Next.js handles the process's errors.
 */
function ignoreLostConnectionRejections(): void {
  process.on("unhandledRejection", (reason) => {
    if (isUnavailableError(reason)) return;
    throw reason;
  });
}

/** Run the CLI with `argv` (as process.argv), setting the exit code. */
export async function runCli(argv: string[]): Promise<void> {
  if (argv[2] !== "start") ignoreLostConnectionRejections();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed on one line.
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`error: ${describeError(err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
