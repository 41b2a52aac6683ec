import { describe, expect, it } from "vitest";
import { SURVEY_ADAPTERS } from "../../../ingest/adapters/survey";
import { UnreadableInputError } from "../../../ingest/adapters/types";
import { run } from "./adapter-helpers";

const adapter = (name: string) => {
  const a = SURVEY_ADAPTERS.find((x) => x.name === name);
  if (!a) throw new Error(`no adapter ${name}`);
  return a;
};

describe("typeform", () => {
  const doc = {
    items: [
      {
        response_id: "r1",
        token: "t1",
        landed_at: "2024-03-01T09:59:00Z",
        submitted_at: "2024-03-01T10:00:00Z",
        hidden: { user_id: "u-42", plan: "pro" },
        answers: [
          { field: { id: "f_nps", type: "nps", ref: "nps" }, type: "number", number: 9 },
          { field: { id: "f_why", type: "long_text", ref: "why" }, type: "text", text: "Fast exports" },
          { field: { id: "f_more", type: "long_text", ref: "more" }, type: "text", text: "More charts" },
          { field: { id: "f_mail", type: "email", ref: "mail" }, type: "email", email: "ann@example.com" },
          {
            field: { id: "f_plan", type: "multiple_choice", ref: "plan" },
            type: "choice",
            choice: { label: "Pro" },
          },
        ],
      },
      {
        token: "t2",
        submitted_at: "2024-03-02T10:00:00Z",
        answers: [
          { field: { id: "f_why", type: "long_text", ref: "why" }, type: "text", text: "Just a comment" },
        ],
      },
      {
        token: "t3",
        submitted_at: "2024-03-02T11:00:00Z",
        answers: [{ field: { id: "f_nps", type: "nps" }, type: "number", number: 12 }],
      },
      { token: "t4", landed_at: "2024-03-03T00:00:00Z", submitted_at: "0001-01-01T00:00:00Z", answers: null },
    ],
  };

  it("yields one record per score answer, comments joined onto it, and a bare comment record", async () => {
    const { surveys, rejects, notes } = await run(adapter("typeform"), JSON.stringify(doc));
    expect(surveys).toHaveLength(2);
    expect(surveys[0]).toMatchObject({
      externalId: "r1:f_nps",
      submittedAt: new Date("2024-03-01T10:00:00Z"),
      question: "nps",
      questionKind: "nps",
      score: 9,
      scaleMin: 0,
      scaleMax: 10,
      comment: "Fast exports\n\nMore charts",
      respondent: "ann@example.com",
      userId: "u-42",
    });
    expect(surveys[0]?.metadata).toMatchObject({
      hidden: { user_id: "u-42", plan: "pro" },
      answers: { plan: "Pro" },
    });
    expect(surveys[1]).toMatchObject({
      externalId: "t2:f_why",
      questionKind: "other",
      score: null,
      comment: "Just a comment",
    });
    expect(rejects).toEqual([{ line: 2, reason: 'field "f_nps": 12 is outside the NPS scale 0-10' }]);
    expect(notes.unsubmitted_responses).toBe(1);
    expect(notes.respondents_with_email).toBe(1);
    expect(notes.score_column).toEqual({ column: "nps", kind: "nps", reason: "field type nps" });
  });

  it("honours --map score and --kind", async () => {
    const d = {
      items: [
        {
          token: "a",
          submitted_at: "2024-03-01T10:00:00Z",
          answers: [{ field: { id: "q1", type: "opinion_scale", ref: "effort" }, type: "number", number: 2 }],
        },
      ],
    };
    const { surveys } = await run(adapter("typeform"), JSON.stringify(d), {
      "map.score": "effort",
      kind: "ces",
    });
    expect(surveys[0]).toMatchObject({
      externalId: "a:q1",
      questionKind: "ces",
      score: 2,
      scaleMin: 1,
      scaleMax: 7,
    });
  });

  it("throws UnreadableInputError for JSON without items", async () => {
    await expect(run(adapter("typeform"), '{"foo":1}')).rejects.toBeInstanceOf(UnreadableInputError);
  });
});

describe("surveymonkey", () => {
  const csv = [
    "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,How likely are you to recommend Acme to a friend?,What could we improve?,Which plan?,",
    "\u0000,\u0000,\u0000,\u0000,\u0000,\u0000,\u0000,\u0000,\u0000,   Response   ,Open-Ended Response,Free,Pro",
    '111,9,03/05/2024 10:00:00,03/05/2024 10:15:00,1.2.3.4,ann@example.com,Ann,,,10 - Extremely likely,"Faster, please",,Pro',
    "112,9,03/05/2024 11:00:00,03/05/2024 01:15:00 PM,,,,,,3,,Free,",
    "113,9,03/05/2024 11:00:00,03/05/2024 11:30:00,,,,,,eleven,,,",
    "114,9,03/05/2024 11:00:00,not a date,,,,,,5,,,",
  ].join("\r\n");

  it("joins the two header rows, takes the leading number and reads dates in the zone", async () => {
    const { surveys, rejects, notes } = await run(adapter("surveymonkey"), csv, {}, "Europe/Berlin");
    expect(
      surveys.map((s) => [s.externalId, s.score, s.submittedAt.toISOString(), s.comment, s.respondent]),
    ).toEqual([
      ["111:Q1", 10, "2024-03-05T09:15:00.000Z", "Faster, please", "ann@example.com"],
      ["112:Q1", 3, "2024-03-05T12:15:00.000Z", null, null],
    ]);
    expect(surveys[0]).toMatchObject({
      questionKind: "nps",
      question: "How likely are you to recommend Acme to a friend?",
    });
    expect(surveys[0]?.metadata?.answers).toEqual({ "Which plan? - Pro": "Pro" });
    expect(rejects).toEqual([
      expect.objectContaining({
        line: 5,
        reason: 'column "How likely are you to recommend Acme to a friend?": "eleven" is not a number',
      }),
      expect.objectContaining({ line: 6, reason: 'column "End Date": "not a date" is not a date' }),
    ]);
    expect(notes.score_column).toMatchObject({
      column: "How likely are you to recommend Acme to a friend?",
      kind: "nps",
    });
    expect(notes.respondents_with_email).toBe(1);
  });
});

describe("google-forms", () => {
  const csv =
    "Timestamp,Email Address,How satisfied are you with Acme?,Any other feedback?\r\n" +
    "2024/03/05 10:15:00 AM GMT+3,bob@example.com,4,Läuft gut\r\n" +
    "3/5/2024 10:15:00,,5,\r\n" +
    "05.03.2024 10:15:00,,,Nur ein Kommentar";

  it("parses locale timestamps, explicit GMT offsets, CSAT and comments", async () => {
    const { surveys, rejects, notes } = await run(adapter("google-forms"), csv, {}, "Europe/Istanbul");
    expect(rejects).toEqual([]);
    expect(
      surveys.map((s) => [s.submittedAt.toISOString(), s.questionKind, s.score, s.comment, s.respondent]),
    ).toEqual([
      ["2024-03-05T07:15:00.000Z", "csat", 4, "Läuft gut", "bob@example.com"],
      ["2024-03-05T07:15:00.000Z", "csat", 5, null, null],
      ["2024-03-05T07:15:00.000Z", "other", null, "Nur ein Kommentar", null],
    ]);
    expect(surveys[0]?.scaleMax).toBe(5);
    expect(surveys[0]?.externalId).toMatch(/^[0-9a-f]{16}:How satisfied are you with Acme\?$/);
    expect(notes.score_column).toMatchObject({ kind: "csat" });
  });

  it("gives the same ids on a second import", async () => {
    const a = await run(adapter("google-forms"), csv);
    const b = await run(adapter("google-forms"), csv);
    expect(a.surveys.map((s) => s.externalId)).toEqual(b.surveys.map((s) => s.externalId));
  });
});

describe("qualtrics", () => {
  const csv = [
    "StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,RecordedDate,ResponseId,RecipientEmail,ExternalReference,NPS_Q,NPS_Q_NPS_GROUP,Q2",
    "Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished,Recorded Date,Response ID,Recipient Email,External Data Reference,How likely are you to recommend us?,How likely are you to recommend us? - Group,Why?",
    '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}","{""ImportId"":""progress""}","{""ImportId"":""duration""}","{""ImportId"":""finished""}","{""ImportId"":""recordedDate"",""timeZone"":""America/Denver""}","{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}","{""ImportId"":""externalDataReference""}","{""ImportId"":""QID1_NPS_GROUP""}","{""ImportId"":""QID1_NPS_GROUP""}","{""ImportId"":""QID2_TEXT""}"',
    "2024-03-05 08:00:00,2024-03-05 08:05:00,0,100,300,1,2024-03-05 08:05:01,R_abc,c@example.com,user-7,6,1,Too slow",
    "2024-03-05 09:00:00,2024-03-05 09:05:00,0,100,300,1,2024-03-05 09:05:01,R_def,,,,,",
  ].join("\n");

  it("uses the raw 0-10 column, the ImportId time zone and ExternalReference as user id", async () => {
    const { surveys, rejects } = await run(adapter("qualtrics"), csv);
    expect(rejects).toEqual([]);
    expect(surveys).toHaveLength(1);
    expect(surveys[0]).toMatchObject({
      externalId: "R_abc:NPS_Q",
      questionKind: "nps",
      score: 6,
      comment: "Too slow",
      respondent: "c@example.com",
      userId: "user-7",
      submittedAt: new Date("2024-03-05T15:05:01Z"),
    });
  });
});

describe("delighted", () => {
  const csv =
    "Response ID,Score,Comment,Created At,Person email,Name,plan\n" +
    "d1,9,Love it,2024-03-05 10:00:00 -0800,e@example.com,Eve,pro\n" +
    "d2,11,,2024-03-05 10:00:00 -0800,,,\n";

  it("reads score, comment, person and properties", async () => {
    const { surveys, rejects } = await run(adapter("delighted"), csv);
    expect(surveys).toEqual([
      {
        externalId: "d1:Score",
        submittedAt: new Date("2024-03-05T18:00:00Z"),
        question: "Score",
        questionKind: "nps",
        score: 9,
        scaleMin: 0,
        scaleMax: 10,
        comment: "Love it",
        respondent: "e@example.com",
        userId: null,
        metadata: { Name: "Eve", plan: "pro" },
      },
    ]);
    expect(rejects).toEqual([
      expect.objectContaining({ line: 3, reason: 'column "Score": 11 is outside the NPS scale 0-10' }),
    ]);
  });
});

describe("survey-csv", () => {
  const csv = "when,rating,text\n2024-03-05T10:00:00Z,4,ok\n";

  it("requires --map submitted_at when no column is recognised, naming the key and columns", async () => {
    await expect(run(adapter("survey-csv"), csv, { "map.score": "rating" })).rejects.toThrow(
      /--map submitted_at="<column>"; columns are: "when", "rating", "text"/,
    );
  });

  it("maps columns and kind", async () => {
    const { surveys } = await run(adapter("survey-csv"), csv, {
      "map.score": "rating",
      "map.submitted_at": "when",
      "map.comment": "text",
      kind: "csat",
    });
    expect(surveys).toEqual([
      expect.objectContaining({ questionKind: "csat", score: 4, scaleMin: 1, scaleMax: 5, comment: "ok" }),
    ]);
  });

  it("names an unknown --map column", async () => {
    await expect(
      run(adapter("survey-csv"), csv, { "map.score": "nope", "map.submitted_at": "when" }),
    ).rejects.toThrow(/--map score="nope" names no column/);
  });
});
