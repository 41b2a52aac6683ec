import { z } from "zod";
import { firstParam } from "./search";

const first = (v: unknown) => firstParam(v as string | string[] | undefined);
const text = z.preprocess(first, z.string().max(200).optional()).catch(undefined);

/**
 * The feedback page's verbatim filters: NPS bucket (`score`), `theme`,
 * `feature` key, `source`, and free text `q`. An unknown bucket is ignored.
 */
export const feedbackParamsSchema = z.object({
  score: z.preprocess(first, z.enum(["promoter", "passive", "detractor"]).optional()).catch(undefined),
  theme: text,
  feature: text,
  source: text,
  q: text,
});
export type FeedbackParams = z.infer<typeof feedbackParamsSchema>;

/** The mentions page's table filter: one `source`. */
export const mentionsParamsSchema = z.object({ source: text, q: text });
export type MentionsParams = z.infer<typeof mentionsParamsSchema>;
