// Shared by the bench scripts: the real server, Debian's Chromium on a
// phone profile, and a signed-in technician whose data has synced once.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchPhone, login } from '../e2e/browser.mjs'
import { startServer } from '../e2e/server.mjs'

export { launchPhone, startServer }

/** Prints the one line a bench reports. @param {string} name @param {number} value @param {string} unit */
export function report(name, value, unit) {
  console.log(`bench: ${name} ${Math.round(value * 10) / 10} ${unit}`)
}

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

/** A fresh profile directory, removed by the returned function. */
export async function tempProfile() {
  const dir = await mkdtemp(join(tmpdir(), 'elvcare-bench-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/**
 * Signs 王工 in on a phone profile and waits until the service worker is
 * active and the first sync is done.
 * @param {import('playwright-core').BrowserContext} phone
 */
export async function signedInTechnician(phone) {
  const page = phone.pages()[0] ?? (await phone.newPage())
  await login(page, 'wang', 'demo123')
  await page.waitForURL('**/m/tickets')
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready
    if (reg.active?.state !== 'activated') {
      await new Promise((resolve) => reg.active?.addEventListener('statechange', resolve))
    }
  })
  await waitSynced(page)
  return page
}

/** @param {import('playwright-core').Page} page @param {number} [timeout] */
export async function waitSynced(page, timeout = 60_000) {
  await page.locator('[data-testid="sync-bar"][data-pending="0"]:not([data-state="busy"])').waitFor({ timeout })
}
