import cliProgress from "cli-progress";
import type { RunCounts } from "../pipeline";

export interface ImportProgress {
  /** Count bytes as they are read, for the bar's position and ETA. */
  track(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  update(counts: RunCounts): void;
  stop(): void;
}

const silent: ImportProgress = { track: (i) => i, update: () => {}, stop: () => {} };

/**
 * A bar on stderr (rows, rows/s, ETA by bytes read) when stderr is a terminal
 * and output is for people; nothing under --json or in a pipe.
 */
export function createImportProgress(
  fileName: string,
  totalBytes: number,
  json: boolean | undefined,
): ImportProgress {
  if (json || !process.stderr.isTTY || totalBytes <= 0) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${fileName} {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let bytes = 0;
  let rows = 0;
  bar.start(totalBytes, 0, { rows: 0, rate: 0 });
  const refresh = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    bar.update(bytes, {
      rows: rows.toLocaleString("en-US"),
      rate: Math.round(rows / seconds).toLocaleString("en-US"),
    });
  };
  return {
    async *track(input) {
      for await (const chunk of input) {
        bytes += chunk.length;
        yield chunk;
      }
    },
    update(counts) {
      rows = counts.read;
      refresh();
    },
    stop() {
      bar.stop();
    },
  };
}
