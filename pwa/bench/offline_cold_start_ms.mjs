// bench: offline_cold_start_ms — a cold start with no network on a slow
// phone: Chromium relaunched on a profile that has synced once, offline,
// CPU throttled 4× (CDP Emulation.setCPUThrottlingRate); from navigation
// start to the first ticket of the list rendered from IndexedDB. The
// median of five starts.
import { launchPhone, median, report, signedInTechnician, startServer, tempProfile } from './lib.mjs'

const RUNS = 5

const server = await startServer()
const profile = await tempProfile()
try {
  const first = await launchPhone(profile.dir, server.url)
  await signedInTechnician(first)
  await first.close()
  await server.stop({ keepData: true })

  /** @type {number[]} */
  const times = []
  for (let i = 0; i < RUNS; i++) {
    const phone = await launchPhone(profile.dir, server.url)
    await phone.setOffline(true)
    // Records when the first ticket card appears, in the page's own clock
    // (milliseconds since navigation start).
    await phone.addInitScript(() => {
      const seen = () => {
        if (document.querySelector('[data-testid="ticket-card"]')) {
          ;(/** @type {any} */ (window)).__listShownAt = performance.now()
          return true
        }
        return false
      }
      const mo = new MutationObserver(() => seen() && mo.disconnect())
      mo.observe(document, { childList: true, subtree: true })
    })
    const page = phone.pages()[0] ?? (await phone.newPage())
    const cdp = await phone.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    await page.goto(`${server.url}/m/tickets`)
    await page.getByTestId('ticket-card').first().waitFor({ timeout: 30_000 })
    times.push(await page.evaluate(() => /** @type {any} */ (window).__listShownAt))
    await phone.close()
  }
  report('offline_cold_start_ms', median(times), 'ms')
} finally {
  await server.stop()
  await profile.remove()
}
