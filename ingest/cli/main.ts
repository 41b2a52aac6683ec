import { Command, CommanderError } from "commander";
import { ZodError } from "zod";
import { DatabaseUnavailableError } from "../../db/errors";
import { registerDbCommands } from "./commands/db";
import { registerDemoCommand } from "./commands/demo";
import { registerImportCommand } from "./commands/import";
import { registerImportsCommands } from "./commands/imports";
import { registerKeyCommands } from "./commands/keys";
import { registerProductCommands } from "./commands/products";
import { registerStartCommand } from "./commands/start";
import { CliError } from "./output";

function describeError(err: unknown): string {
  if (err instanceof ZodError) {
    return err.issues
      .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
      .join("; ");
  }
  if (err instanceof CliError || err instanceof DatabaseUnavailableError) return err.message;
  if (err instanceof Error) return err.message.split("\n")[0] ?? String(err);
  return String(err);
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
  registerImportCommand(program);
  registerImportsCommands(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
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

await main();
