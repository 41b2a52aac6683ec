import { asText } from "./values";

/** English country names as GA4 and Segment write them, with ISO 3166-1 alpha-2 codes. */
const NAMES = `AF Afghanistan|AL Albania|DZ Algeria|AR Argentina|AM Armenia|AU Australia|AT Austria|
AZ Azerbaijan|BH Bahrain|BD Bangladesh|BY Belarus|BE Belgium|BO Bolivia|BA Bosnia & Herzegovina|
BA Bosnia and Herzegovina|BR Brazil|BG Bulgaria|KH Cambodia|CM Cameroon|CA Canada|CL Chile|CN China|
CO Colombia|CR Costa Rica|CI Côte d’Ivoire|CI Ivory Coast|HR Croatia|CU Cuba|CY Cyprus|CZ Czechia|
CZ Czech Republic|DK Denmark|DO Dominican Republic|EC Ecuador|EG Egypt|SV El Salvador|EE Estonia|
ET Ethiopia|FI Finland|FR France|GE Georgia|DE Germany|GH Ghana|GR Greece|GT Guatemala|HN Honduras|
HK Hong Kong|HU Hungary|IS Iceland|IN India|ID Indonesia|IR Iran|IQ Iraq|IE Ireland|IL Israel|IT Italy|
JM Jamaica|JP Japan|JO Jordan|KZ Kazakhstan|KE Kenya|KW Kuwait|KG Kyrgyzstan|LV Latvia|LB Lebanon|
LT Lithuania|LU Luxembourg|MO Macao|MO Macau|MY Malaysia|MT Malta|MX Mexico|MD Moldova|MN Mongolia|
ME Montenegro|MA Morocco|MM Myanmar (Burma)|MM Myanmar|NP Nepal|NL Netherlands|NL The Netherlands|
NZ New Zealand|NI Nicaragua|NG Nigeria|MK North Macedonia|NO Norway|OM Oman|PK Pakistan|PS Palestine|
PA Panama|PY Paraguay|PE Peru|PH Philippines|PL Poland|PT Portugal|PR Puerto Rico|QA Qatar|RO Romania|
RU Russia|RU Russian Federation|RW Rwanda|SA Saudi Arabia|SN Senegal|RS Serbia|SG Singapore|SK Slovakia|
SI Slovenia|ZA South Africa|KR South Korea|KR Korea|KR Republic of Korea|ES Spain|LK Sri Lanka|SE Sweden|
CH Switzerland|TW Taiwan|TZ Tanzania|TH Thailand|TN Tunisia|TR Turkey|TR Türkiye|UG Uganda|UA Ukraine|
AE United Arab Emirates|GB United Kingdom|GB UK|GB Great Britain|US United States|US USA|
US United States of America|UY Uruguay|UZ Uzbekistan|VE Venezuela|VN Vietnam|ZM Zambia|ZW Zimbabwe`;

const BY_NAME = new Map<string, string>();
for (const entry of NAMES.replace(/\n/g, "").split("|")) {
  BY_NAME.set(entry.slice(3).toLowerCase(), entry.slice(0, 2));
}

/**
 * ISO 3166-1 alpha-2 code for a country value: a two-letter code is upper-cased,
 * a known English name is mapped, anything else (a name not in the table) is
 * kept as given so nothing is lost. GA4's "(not set)" becomes null.
 */
export function normalizeCountry(value: unknown): string | null {
  const text = asText(value)?.trim();
  if (!text || /^\(.*\)$/.test(text)) return null;
  if (/^[a-z]{2}$/i.test(text)) return text.toUpperCase();
  return BY_NAME.get(text.toLowerCase()) ?? text;
}

/** The region of a locale such as "en-US" or "pt_BR", as a country code. */
export function countryFromLocale(locale: unknown): string | null {
  const m = /^[a-z]{2,3}[-_]([a-z]{2})\b/i.exec(asText(locale) ?? "");
  return m?.[1] ? m[1].toUpperCase() : null;
}
