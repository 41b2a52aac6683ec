import type { IngestItem } from "../../normalized";
import { validateMention } from "../../validate";
import type { Adapter } from "../types";

/**
 * Wrap an adapter so every mention it yields already passes the store's
 * validation: a bad record becomes a reject with the validator's reason
 * (and the record's index) instead of failing later in the pipeline.
 */
export function checkedMentions(adapter: Adapter): Adapter {
  return {
    ...adapter,
    async *parse(input, ctx) {
      for await (const item of adapter.parse(input, ctx)) yield checkMention(item, ctx.now);
    },
  };
}

export function checkMention(item: IngestItem, now: Date): IngestItem {
  if (item.kind !== "mention") return item;
  const reason = validateMention(item.value, now);
  if (!reason) return item;
  return {
    kind: "reject",
    value: { line: item.line ?? null, reason: `${item.value.externalId || "mention"}: ${reason}` },
  };
}
