// bench: pwa_tech_shell_gzip_kb — the JavaScript and CSS a phone downloads
// to show the technician's ticket list (/m/tickets, signed in), gzipped:
// measured from the responses Chromium actually received (no service
// worker, empty cache), each body gzipped at the default level.
import { gzipSync } from 'node:zlib'
import { launch, newPage, PHONE } from '../e2e/browser.mjs'
import { report, startServer } from './lib.mjs'

const server = await startServer()
const browser = await launch()
try {
  const { context, page } = await newPage(browser, server.url, PHONE, { mobile: true })
  const signIn = await context.request.post('/api/auth/login', { data: { login: 'wang', password: 'demo123' } })
  if (signIn.status() !== 200) throw new Error(`login: ${signIn.status()}`)

  /** @type {Map<string, import('playwright-core').Response>} */
  const assets = new Map()
  page.on('response', (res) => {
    const type = res.request().resourceType()
    if ((type === 'script' || type === 'stylesheet') && res.url().startsWith(server.url)) assets.set(res.url(), res)
  })
  await page.goto('/m/tickets')
  await page.getByTestId('ticket-card').first().waitFor()
  await page.waitForLoadState('networkidle')

  let bytes = 0
  for (const res of assets.values()) bytes += gzipSync(await res.body()).length
  await context.close()
  report('pwa_tech_shell_gzip_kb', bytes / 1024, 'KB')
} finally {
  await browser.close()
  await server.stop()
}
