// Debian's Chromium through playwright-core (no browser download).
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url))

export const PHONE = { width: 390, height: 844 }
export const DESK = { width: 1440, height: 900 }

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export async function launch() {
  mkdirSync(RESULTS, { recursive: true })
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

/**
 * A phone-sized Chromium on a profile directory that outlives the browser
 * (IndexedDB, the service worker and its caches, cookies), so a test can
 * close the browser and open the same "phone" again.
 * @param {string} userDataDir
 * @param {string} baseURL
 */
export async function launchPhone(userDataDir, baseURL) {
  mkdirSync(RESULTS, { recursive: true })
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    baseURL,
    viewport: PHONE,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    serviceWorkers: 'allow',
  })
}

/**
 * A fresh browser context (own cookies and storage) in Chinese.
 * @param {import('playwright-core').Browser} browser
 * @param {string} baseURL
 * @param {{ width: number, height: number }} viewport
 */
export async function newPage(browser, baseURL, viewport, { mobile = false, serviceWorker = false } = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport,
    locale: 'zh-CN',
    deviceScaleFactor: mobile ? 2 : 1,
    isMobile: mobile,
    hasTouch: mobile,
    // Most tests want every request to reach the server; the offline test
    // turns the service worker on.
    serviceWorkers: serviceWorker ? 'allow' : 'block',
  })
  const page = await context.newPage()
  /** @type {string[]} */
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    // The browser logs every 4xx; a 401 from "who am I" before login is expected.
    if (m.type() === 'error' && !/status of 401|ERR_INTERNET_DISCONNECTED/.test(m.text())) errors.push(m.text())
  })
  return { context, page, errors }
}

/** @param {import('playwright-core').Page} page @param {string} name */
export function shot(page, name) {
  return page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: false, animations: 'disabled' })
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} login
 * @param {string} password
 */
export async function login(page, login, password) {
  await page.goto('/login')
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}
