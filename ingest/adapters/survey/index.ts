import type { Adapter } from "../types";

/** Every survey adapter, in the order `--format auto` tries them. */
export const SURVEY_ADAPTERS: Adapter[] = [];
