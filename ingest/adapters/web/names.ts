import { asText } from "./values";

/**
 * One spelling per operating system across sources ("Mac OS X", "Macintosh",
 * "Mac OS" → "macOS"; "Windows 10" → "Windows"), so breakdowns do not split.
 */
export function normalizeOs(value: unknown): string | null {
  const text = asText(value)?.trim();
  if (!text) return null;
  const t = text.toLowerCase();
  if (/^(mac ?os( x)?|os x|macintosh|mac)\b/.test(t)) return "macOS";
  if (t.startsWith("windows phone")) return "Windows Phone";
  if (t.startsWith("windows")) return "Windows";
  if (t.startsWith("ipados")) return "iPadOS";
  if (t === "ios" || t.startsWith("ios ")) return "iOS";
  if (t.startsWith("android")) return "Android";
  if (t === "chrome os" || t === "chromeos" || t === "cros") return "ChromeOS";
  if (t === "linux" || t === "ubuntu" || t === "debian" || t === "fedora") return "Linux";
  return text;
}

/** Device classes as the demo data spells them; laptops count as desktop. */
export function normalizeDevice(value: unknown): string | null {
  const t = asText(value)?.trim().toLowerCase();
  if (!t) return null;
  if (t === "mobile" || t === "phone" || t === "smartphone") return "mobile";
  if (t === "tablet") return "tablet";
  if (t === "desktop" || t === "laptop" || t === "pc" || t === "computer") return "desktop";
  return t;
}

/** Device class implied by an OS when a source gives no device (Mixpanel). */
export function deviceFromOs(os: string | null): string | null {
  if (os === "iOS" || os === "Android" || os === "Windows Phone") return "mobile";
  if (os === "iPadOS") return "tablet";
  if (os === "Windows" || os === "macOS" || os === "Linux" || os === "ChromeOS") return "desktop";
  return null;
}

const UMAMI_BROWSERS: Record<string, string> = {
  chrome: "Chrome",
  crios: "Chrome",
  "chromium-webview": "Chrome WebView",
  safari: "Safari",
  ios: "Mobile Safari",
  "ios-webview": "Mobile Safari",
  firefox: "Firefox",
  fxios: "Firefox",
  edge: "Edge",
  "edge-chromium": "Edge",
  "edge-ios": "Edge",
  opera: "Opera",
  "opera-mini": "Opera Mini",
  samsung: "Samsung Internet",
  ie: "Internet Explorer",
  yandexbrowser: "Yandex Browser",
  facebook: "Facebook",
  instagram: "Instagram",
  android: "Android Browser",
  silk: "Silk",
};

/** Umami stores browser keys like "crios" or "edge-chromium": show the browser's usual name. */
export function normalizeBrowser(value: unknown): string | null {
  const text = asText(value)?.trim();
  if (!text) return null;
  const known = UMAMI_BROWSERS[text.toLowerCase()];
  if (known) return known;
  return text === text.toLowerCase() ? text[0]?.toUpperCase() + text.slice(1) : text;
}
