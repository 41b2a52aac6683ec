import { SOCIAL_ADAPTERS } from "./social";
import { SURVEY_ADAPTERS } from "./survey";
import type { Adapter } from "./types";
import { WEB_ADAPTERS } from "./web";

export const ADAPTERS: Adapter[] = [...WEB_ADAPTERS, ...SURVEY_ADAPTERS, ...SOCIAL_ADAPTERS];

export function findAdapter(name: string): Adapter | undefined {
  return ADAPTERS.find((a) => a.name === name);
}

/** The adapter most confident about a sample, if any is reasonably sure. */
export function sniffFormat(
  sample: string,
  fileName: string,
): { adapter: Adapter; confidence: number } | null {
  let best: { adapter: Adapter; confidence: number } | null = null;
  for (const adapter of ADAPTERS) {
    const confidence = adapter.sniff(sample, fileName);
    if (confidence > (best?.confidence ?? 0)) best = { adapter, confidence };
  }
  return best && best.confidence >= 0.5 ? best : null;
}
