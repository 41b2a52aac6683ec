import type { Adapter } from "../types";

/** Every social adapter, in the order `--format auto` tries them. */
export const SOCIAL_ADAPTERS: Adapter[] = [];
