import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sniffFormat } from "../../../ingest/adapters/registry";
import { SURVEY_ADAPTERS } from "../../../ingest/adapters/survey";
import { hasRealData, REALDATA, realFile, run } from "./adapter-helpers";

const adapter = (name: string) =>
  SURVEY_ADAPTERS.find((a) => a.name === name) as (typeof SURVEY_ADAPTERS)[number];
const sample = (path: string) => new TextDecoder().decode(realFile(path).subarray(0, 4096));

describe.skipIf(!hasRealData("typeform"))(
  `typeform real sample (needs ${join(REALDATA, "typeform")})`,
  () => {
    const path = "typeform/vlab_typeform-example.json";
    it("is sniffed as typeform", () =>
      expect(sniffFormat(sample(path), path)?.adapter.name).toBe("typeform"));
    it("yields rating (CSAT) and opinion-scale records for the 3 submitted responses", async () => {
      const { surveys, rejects, notes } = await run(adapter("typeform"), realFile(path));
      expect(rejects).toEqual([]);
      expect(surveys).toHaveLength(6);
      const csat = surveys.filter((s) => s.questionKind === "csat");
      expect(csat.map((s) => s.score)).toEqual([3, 3, 5]);
      expect(csat.map((s) => s.externalId)).toEqual([
        "21085286190ffad1248d17c4135ee56f:WOTdC00F8A3h",
        "610fc266478b41e4927945e20fe54ad2:WOTdC00F8A3h",
        "9ba5db11ec6c63d22f08aade805bd363:WOTdC00F8A3h",
      ]);
      expect(csat[0]?.respondent).toBe("lian1078@other.com");
      expect(csat[0]?.submittedAt).toEqual(new Date("2017-09-14T22:38:22Z"));
      expect(csat[0]?.comment).toMatch(/^It's a big, busy city\./);
      expect(csat[1]?.comment).toBe(
        "I read a magazine article about traveling to Sydney\n\nIt's a rural area. Very quiet. There are a lot of farms...farming is the major industry here.",
      );
      expect(surveys.filter((s) => s.questionKind === "other").map((s) => s.score)).toEqual([1, 1, 4]);
      expect(notes.unsubmitted_responses).toBe(1);
      expect(notes.respondents_with_email).toBe(2);
    });
  },
);

describe.skipIf(!hasRealData("surveymonkey"))(
  `surveymonkey real sample (needs ${join(REALDATA, "surveymonkey")})`,
  () => {
    const path = "surveymonkey/thegoodhoustonians_Sheet_1.csv";
    it("is sniffed as surveymonkey", () =>
      expect(sniffFormat(sample(path), path)?.adapter.name).toBe("surveymonkey"));
    it("keeps the 4 responses as comments (no score question), NUL bytes gone", async () => {
      const { surveys, rejects, notes } = await run(
        adapter("surveymonkey"),
        realFile(path),
        {},
        "America/Chicago",
      );
      expect(rejects).toEqual([]);
      expect(surveys.map((s) => s.externalId)).toEqual([
        "5343553482:Q4",
        "5338827383:Q5",
        "5337680885:Q4",
        "5335327198:Q5",
      ]);
      expect(surveys.every((s) => s.questionKind === "other" && s.score === null)).toBe(true);
      // End Date 04/28/2017 22:31:44 in Houston (CDT, UTC-5).
      expect(surveys[0]?.submittedAt).toEqual(new Date("2017-04-29T03:31:44Z"));
      expect(surveys[1]?.comment?.startsWith("www.neighborsinaction.org\n\nPort Houston; zip 77029")).toBe(
        true,
      );
      expect(JSON.stringify(surveys)).not.toContain("\\u0000");
      expect(notes.score_column).toMatchObject({ column: null });
      expect(notes.responses).toBe(4);
    });
  },
);

describe.skipIf(!hasRealData("google-forms"))(
  `google-forms real sample (needs ${join(REALDATA, "google-forms")})`,
  () => {
    const path = "google-forms/student-living-cost_form_responses.csv";
    it("is sniffed as google-forms", () =>
      expect(sniffFormat(sample(path), path)?.adapter.name).toBe("google-forms"));
    it("takes the three *_recom columns as 0-10 NPS answers", async () => {
      const { surveys, rejects } = await run(adapter("google-forms"), realFile(path), {}, "Asia/Ashgabat");
      expect(rejects).toEqual([]);
      expect(surveys.map((s) => [s.question, s.score])).toEqual([
        ["country_recom", 9],
        ["city_recom", 10],
        ["school_recom", 7],
        ["country_recom", 6],
        ["city_recom", 5],
        ["school_recom", 10],
      ]);
      expect(surveys.every((s) => s.questionKind === "nps" && s.scaleMin === 0 && s.scaleMax === 10)).toBe(
        true,
      );
      // 3/24/2022 13:06:29 in Ashgabat (UTC+5).
      expect(surveys[0]?.submittedAt).toEqual(new Date("2022-03-24T08:06:29Z"));
      expect(surveys[0]?.metadata?.answers).toMatchObject({ country: "Türkiýe Respublikasy" });
    });
  },
);

describe.skipIf(!hasRealData("qualtrics"))(
  `qualtrics real samples (needs ${join(REALDATA, "qualtrics")})`,
  () => {
    for (const path of ["qualtrics/sample.csv", "qualtrics/sample_legacy.csv"]) {
      it(`${path} is sniffed as qualtrics and yields its one free-text answer`, async () => {
        expect(sniffFormat(sample(path), path)?.adapter.name).toBe("qualtrics");
        const { surveys, rejects } = await run(adapter("qualtrics"), realFile(path), {}, "Europe/Zurich");
        expect(rejects).toEqual([]);
        expect(surveys).toHaveLength(1);
        expect(surveys[0]).toMatchObject({
          externalId: "R_2YPOQ602ER1jkf1:Q2",
          questionKind: "other",
          score: null,
          comment: "Hello World!",
          question: "This is a free text question.",
          submittedAt: new Date("2017-07-18T06:28:48Z"),
        });
        expect(surveys[0]?.metadata?.answers).toMatchObject({ "This is a multiple choice question.": "2" });
      });
    }
  },
);
