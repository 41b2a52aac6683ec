import { handleSegmentRequest, preflight } from "../../../../ingest/http/handle-ingest";
import { getAppDb } from "../../../../lib/db";

/** Segment-compatible track endpoint (write key). */
export function POST(req: Request) {
  return handleSegmentRequest(getAppDb, req, "track");
}

export const OPTIONS = preflight;
