import type { Adapter } from "../types";

/** Every web adapter, in the order `--format auto` tries them. */
export const WEB_ADAPTERS: Adapter[] = [];
