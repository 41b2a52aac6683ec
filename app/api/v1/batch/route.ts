import { handleSegmentRequest, preflight } from "../../../../ingest/http/handle-ingest";
import { getAppDb } from "../../../../lib/db";

/** Segment-compatible batch endpoint (write key). */
export function POST(req: Request) {
  return handleSegmentRequest(getAppDb, req, "batch");
}

export const OPTIONS = preflight;
