import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../ingest/normalized";
import { stripNul, validateEvent, validateMention, validateSurveyResponse } from "../../ingest/validate";

const now = new Date("2026-11-27T12:00:00Z");
const ok: NormalizedEvent = {
  messageId: "m1",
  timestamp: new Date("2026-11-20T10:00:00Z"),
  event: "pageview",
  type: "page",
  anonymousId: "a1",
};

describe("event validation", () => {
  it("accepts a complete event", () => {
    expect(validateEvent(ok, now)).toBeNull();
  });
  it("names what is wrong", () => {
    expect(validateEvent({ ...ok, messageId: "" }, now)).toBe("message id is missing");
    expect(validateEvent({ ...ok, timestamp: new Date("nope") }, now)).toBe("timestamp is not a valid date");
    expect(validateEvent({ ...ok, timestamp: new Date("2026-11-29T12:00:00Z") }, now)).toMatch(
      /24 hours in the future/,
    );
    expect(validateEvent({ ...ok, event: " " }, now)).toBe("event name is missing");
    expect(validateEvent({ ...ok, anonymousId: null }, now)).toBe("neither user id nor anonymous id is set");
    expect(validateEvent({ ...ok, type: "click" as never }, now)).toMatch(/type "click"/);
  });
});

describe("survey and mention validation", () => {
  const r = { externalId: "r1", submittedAt: new Date("2026-11-20"), questionKind: "nps" as const };
  it("needs a score or a comment, within the scale", () => {
    expect(validateSurveyResponse({ ...r }, now)).toMatch(/neither a score nor a comment/);
    expect(validateSurveyResponse({ ...r, comment: "great" }, now)).toBeNull();
    expect(validateSurveyResponse({ ...r, score: 11, scaleMin: 0, scaleMax: 10 }, now)).toMatch(
      /outside the scale/,
    );
    expect(validateSurveyResponse({ ...r, score: 9, scaleMin: 0, scaleMax: 10 }, now)).toBeNull();
  });
  it("needs a title or a text for a mention", () => {
    const m = { externalId: "x1", createdAt: new Date("2026-11-20") };
    expect(validateMention(m, now)).toMatch(/neither a title nor a text/);
    expect(validateMention({ ...m, body: "love it" }, now)).toBeNull();
  });
});

describe("NUL bytes", () => {
  it("are removed from nested strings and keys", () => {
    expect(stripNul({ "a\u0000": ["x\u0000y", 1], d: new Date(0) })).toEqual({
      a: ["xy", 1],
      d: new Date(0),
    });
  });

  it("are removed after untouched keys and elements, keeping their order", () => {
    const input = { a: 1, b: { c: ["ok", "n\u0000o"], d: "x" }, e: "\u0000", f: [1, 2] };
    expect(stripNul(input)).toEqual({ a: 1, b: { c: ["ok", "no"], d: "x" }, e: "", f: [1, 2] });
    expect(Object.keys(stripNul(input))).toEqual(["a", "b", "e", "f"]);
    expect(input.b.c[1]).toBe("n\u0000o"); // the input is not changed
  });

  it("leave a value without NUL as it is, without copying", () => {
    const input = { a: "x", b: [{ c: "y" }], d: new Date(0) };
    expect(stripNul(input)).toBe(input);
  });
});
