import { z } from "zod";
import { firstParam } from "./search";

const first = (v: unknown) => firstParam(v as string | string[] | undefined);

/** The retention page's URL: `mode` (on | on_or_after, default on) and an optional `start` event. */
export const retentionParamsSchema = z.object({
  mode: z.preprocess(first, z.enum(["on", "on_or_after"]).default("on")).catch("on"),
  start: z.preprocess(first, z.string().max(200).optional()).catch(undefined),
});
export type RetentionParams = z.infer<typeof retentionParamsSchema>;
