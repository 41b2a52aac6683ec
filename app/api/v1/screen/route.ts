import { handleSegmentRequest, preflight } from "../../../../ingest/http/handle-ingest";
import { getAppDb } from "../../../../lib/db";

/** Segment-compatible screen endpoint (write key). */
export function POST(req: Request) {
  return handleSegmentRequest(getAppDb, req, "screen");
}

export const OPTIONS = preflight;
