// A screen's browser in a few words for the list ("Chrome 120 · Linux"); the list keeps the
// whole user agent in a title. Browsers name several products, so the most specific goes first.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bChromium\/(\d+)/, 'Chromium'],
  [/\bHeadlessChrome\/(\d+)/, 'Headless Chrome'],
  [/\bChrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function shortUserAgent(userAgent: string): string {
  if (!userAgent.trim()) return '';
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  let browser: string | undefined;
  for (const [pattern, name] of BROWSERS) {
    const version = pattern.exec(userAgent)?.[1];
    if (version) {
      browser = `${name} ${version}`;
      break;
    }
  }
  // A browser we do not know by name: its last product token, as the screen's maker wrote it.
  if (!browser) {
    const products = [...userAgent.matchAll(/([A-Za-z][\w.-]*)\/([\w.]+)/g)].filter(([, name]) => name !== 'Mozilla');
    const last = products.at(-1);
    browser = last ? `${last[1]} ${last[2]}` : userAgent.slice(0, 40);
  }
  return system ? `${browser} · ${system}` : browser;
}
