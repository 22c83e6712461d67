// Headless Chromium for the browser test: Debian's `chromium` package driven by playwright-core.
// playwright-core never downloads a browser; we point it at the system one.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.COURSE_CHROMIUM || "/usr/bin/chromium";

// Without the background-networking flags Chromium keeps calling Google services (component
// updates, sync, safe-browsing lists) and floods a closed network with refused connections.
// --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
// --disable-dev-shm-usage: containers often have a 64 MB /dev/shm, too small for Chromium.
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/** Why the browser cannot run here, as one line with the fix, or null when it can. */
export function chromiumMissing() {
  if (existsSync(CHROMIUM)) return null;
  return `${CHROMIUM} is missing: install Debian's chromium (\`apt-get update && apt-get install -y --no-install-recommends chromium\`), or point COURSE_CHROMIUM at a Chromium binary.`;
}

/**
 * Launches Chromium with a fresh user-data dir (no profile, cache or cookies from earlier runs).
 * Returns { context, close() }: one browser context for every page of the run.
 */
export async function launchChromium({ width = 1280, height = 900 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "course-browser-profile-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width, height },
      // A fixed locale and time zone keep the screenshots the same from one machine to the next.
      locale: "en-US",
      timezoneId: "UTC",
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
