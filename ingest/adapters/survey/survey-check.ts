import { validateSurveyResponse } from "../../validate";
import type { Adapter } from "../types";

/**
 * Wrap an adapter so every response it yields already passes the store's
 * validation: a bad record (date before 2000, in the future...) becomes a
 * reject with the validator's reason and the record's line.
 */
export function checkedResponses(adapter: Adapter): Adapter {
  return {
    ...adapter,
    async *parse(input, ctx) {
      for await (const item of adapter.parse(input, ctx)) {
        if (item.kind !== "survey") {
          yield item;
          continue;
        }
        const reason = validateSurveyResponse(item.value, ctx.now);
        yield reason
          ? {
              kind: "reject",
              value: { line: item.line ?? null, reason: `${item.value.externalId}: ${reason}` },
            }
          : item;
      }
    },
  };
}
