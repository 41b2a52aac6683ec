import { handleSegmentRequest, preflight } from "../../../../ingest/http/handle-ingest";
import { getAppDb } from "../../../../lib/db";

/** Segment-compatible identify endpoint (write key). */
export function POST(req: Request) {
  return handleSegmentRequest(getAppDb, req, "identify");
}

export const OPTIONS = preflight;
