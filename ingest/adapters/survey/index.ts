import type { Adapter } from "../types";
import { delightedAdapter } from "./delighted";
import { googleFormsAdapter } from "./google-forms";
import { qualtricsAdapter } from "./qualtrics";
import { checkedResponses } from "./survey-check";
import { surveyCsvAdapter } from "./survey-csv";
import { surveyMonkeyAdapter } from "./surveymonkey";
import { typeformAdapter } from "./typeform";

/** Every survey adapter, in the order `--format auto` tries them. */
export const SURVEY_ADAPTERS: Adapter[] = [
  typeformAdapter,
  surveyMonkeyAdapter,
  qualtricsAdapter,
  googleFormsAdapter,
  delightedAdapter,
  surveyCsvAdapter,
].map(checkedResponses);
