import type { SourceConfig, SourceKind } from "../../../lib/queries/sources";
import type { SyncDriver } from "../types";
import { appStoreDriver } from "./appstore";
import { hnDriver } from "./hn";
import { redditDriver } from "./reddit";
import { rssDriver } from "./rss";
import { typeformDriver } from "./typeform";
import { xDriver } from "./x";

export const DRIVERS: Record<SourceKind, SyncDriver> = {
  hn: hnDriver,
  reddit: redditDriver,
  x: xDriver,
  appstore: appStoreDriver,
  rss: rssDriver,
  typeform: typeformDriver,
};

export function findDriver(kind: string): SyncDriver | undefined {
  return Object.hasOwn(DRIVERS, kind) ? DRIVERS[kind as SourceKind] : undefined;
}

/**
 * The API base a source talks to: its own `baseUrl` first (set for that one
 * source), then the kind's environment override (a proxy, a mirror, or the
 * tests' local replay server), then the public API.
 */
export function resolveBaseUrl(
  driver: SyncDriver,
  config: SourceConfig,
  env: Record<string, string | undefined>,
): string {
  const fromEnv = driver.baseUrlEnv ? env[driver.baseUrlEnv]?.trim() : undefined;
  return config.baseUrl || fromEnv || driver.defaultBaseUrl;
}
