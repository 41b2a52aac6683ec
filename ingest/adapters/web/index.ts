import type { Adapter } from "../types";
import { csvAdapter } from "./csv";
import { ga4Adapter } from "./ga4";
import { mixpanelAdapter } from "./mixpanel";
import { plausibleAdapter } from "./plausible";
import { posthogAdapter } from "./posthog";
import { segmentAdapter } from "./segment";
import { umamiAdapter } from "./umami";

export { normalizePosthogEvent } from "./posthog";
export { normalizeSegmentMessage, type SegmentCallType } from "./segment";

/** Every web adapter, in the order `--format auto` tries them. */
export const WEB_ADAPTERS: Adapter[] = [
  segmentAdapter,
  posthogAdapter,
  mixpanelAdapter,
  ga4Adapter,
  umamiAdapter,
  plausibleAdapter,
  csvAdapter,
];
