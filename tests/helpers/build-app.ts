import { ensureBuilt } from "../../ingest/cli/build";

/** HTTP and browser tests run against the production build: make it once per run if it is stale. */
export default function setup(): void {
  ensureBuilt(process.cwd(), (m) => process.stderr.write(`[tests] ${m}\n`));
}
