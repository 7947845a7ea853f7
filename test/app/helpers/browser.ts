/**
 * A real headless Chromium for the web app's tests: playwright-core driving the Chromium binary that the
 * @sparticuz/chromium package ships (nothing is downloaded at install or test time). Its default flags turn off the
 * same-origin policy (--disable-web-security) and allow mixed content; those are dropped, so the page meets real
 * CORS and CSP. Background networking (updates, metrics, safe browsing) is off, so the request log holds only what
 * the page itself asked for.
 */
import type { Browser } from "playwright-core";

const DROPPED_FLAGS = new Set(["--disable-web-security", "--allow-running-insecure-content"]);

const QUIET_FLAGS = [
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-client-side-phishing-detection",
  "--no-first-run",
  "--metrics-recording-only",
];

export async function launchChromium(): Promise<Browser> {
  // Both packages are ES modules; the compiled tests are CommonJS, so they are loaded with import().
  const [{ default: chromium }, { chromium: playwright }] = await Promise.all([import("@sparticuz/chromium"), import("playwright-core")]);
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [...chromium.args.filter((flag) => !DROPPED_FLAGS.has(flag)), ...QUIET_FLAGS],
    headless: true,
  });
}
