export interface UaInfo {
  browser: string | null;
  os: string | null;
  device: "desktop" | "mobile" | "tablet" | "bot" | null;
}

const BOT = /bot\b|crawl|spider|slurp|headless|lighthouse|facebookexternalhit|preview/i;

function detectOs(ua: string): string | null {
  if (/iPad/.test(ua)) return "iPadOS";
  if (/iPhone|iPod/.test(ua)) return "iOS";
  if (/Android/.test(ua)) return "Android";
  if (/Windows Phone/.test(ua)) return "Windows Phone";
  if (/Windows/.test(ua)) return "Windows";
  if (/CrOS/.test(ua)) return "ChromeOS";
  if (/Mac OS X|Macintosh/.test(ua)) return "macOS";
  if (/Linux|X11/.test(ua)) return "Linux";
  return null;
}

function detectDevice(ua: string, os: string | null): UaInfo["device"] {
  if (BOT.test(ua)) return "bot";
  if (os === "iPadOS" || /Tablet|Kindle|Silk/.test(ua) || (os === "Android" && !/Mobile/.test(ua))) {
    return "tablet";
  }
  if (/Mobi|iPhone|iPod|Windows Phone|Opera Mini/.test(ua)) return "mobile";
  return os ? "desktop" : null;
}

/** Browser names follow the demo data: "Mobile Safari" and "Chrome Mobile" on phones. */
function detectBrowser(ua: string, device: UaInfo["device"]): string | null {
  const mobile = device === "mobile";
  if (/Edg(?:e|A|iOS)?\//.test(ua)) return "Edge";
  if (/OPR\/|Opera/.test(ua)) return "Opera";
  if (/SamsungBrowser\//.test(ua)) return "Samsung Internet";
  if (/Firefox\/|FxiOS\//.test(ua)) return mobile ? "Firefox Mobile" : "Firefox";
  if (/CriOS\//.test(ua)) return mobile ? "Chrome Mobile" : "Chrome";
  if (/Chrome\/|Chromium\//.test(ua)) return mobile ? "Chrome Mobile" : "Chrome";
  if (/MSIE |Trident\//.test(ua)) return "Internet Explorer";
  if (/Safari\//.test(ua) && /Version\//.test(ua))
    return /iPhone|iPad|iPod/.test(ua) ? "Mobile Safari" : "Safari";
  if (/iPhone|iPad|iPod/.test(ua) && /AppleWebKit/.test(ua)) return "Mobile Safari";
  return null;
}

/**
 * A small hand-written classifier for the common browsers, enough for the
 * device/browser/OS breakdowns; it does not try to name every app or crawler.
 * Crawlers get device "bot". Unknown parts are null, never guessed.
 */
export function parseUserAgent(ua: string | null | undefined): UaInfo {
  if (!ua || typeof ua !== "string") return { browser: null, os: null, device: null };
  const os = detectOs(ua);
  const device = detectDevice(ua, os);
  return { browser: detectBrowser(ua, device), os, device };
}
