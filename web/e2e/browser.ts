import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, driven by playwright-core: no browser download, ever. */
export const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) =>
  existsSync(path),
);

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath)
    throw new Error("Debian's chromium is not installed (apt-get install chromium).");
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Screenshots land in test-results/screenshots, to be looked at after a run. */
export function screenshotPath(name: string): string {
  const dir = join(process.cwd(), "test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/**
 * A page the README shows: saved with the other screenshots, and, when `npm run screenshots` runs
 * the browser tests (README_SCREENSHOTS=1), also as a small JPEG of the visible part in
 * docs/screenshots, which is committed.
 */
export async function readmeScreenshot(page: Page, name: string) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  if (!process.env.README_SCREENSHOTS) return;
  const dir = join(import.meta.dirname, "..", "..", "docs", "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.jpg`), type: "jpeg", quality: 70 });
}
