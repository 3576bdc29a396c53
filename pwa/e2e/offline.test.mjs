// The offline technician (JOURNEYS.md, journey 2) against the real server:
// 王工 syncs at home; the server goes away (really: its process is stopped);
// the app still opens from the service worker, lists his tickets from
// IndexedDB, and he does the whole intrusion-alarm visit offline — call
// ahead, arrival, work, parts, the checklist, photos, result, the customer's
// acceptance and signature. He closes the browser. The server comes back on
// the same data; meanwhile the desk set the appointment he had also agreed
// by phone. He opens the app again: everything syncs, the desk sees the
// ticket returned with the checklist, photos and signature, and the
// appointment clash as a conflict with both values.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { launch, launchPhone, login, shot } from './browser.mjs'
import { startServer } from './server.mjs'

/** @type {import('./server.mjs').RunningServer} */
let server
/** @type {string} */
let profile

before(async () => {
  server = await startServer()
  profile = await mkdtemp(join(tmpdir(), 'elvcare-phone-'))
})

after(async () => {
  await server?.stop()
  if (profile) await rm(profile, { recursive: true, force: true })
})

/** Browsers and contexts a test opened, closed whatever happens. */
const opened = new Set()
/**
 * @template {{ close: () => Promise<void> }} T
 * @param {T} b
 * @returns {T}
 */
function keep(b) {
  opened.add(b)
  return b
}

/** Console noise that is expected while the server is away. */
const OFFLINE_NOISE = /status of 401|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to load resource|net::ERR_/

/** @param {import('playwright-core').Page} page */
function watchErrors(page) {
  /** @type {string[]} */
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'trace') && !OFFLINE_NOISE.test(m.text())) errors.push(m.text())
  })
  return errors
}

/** @param {import('playwright-core').Page} page */
async function syncBar(page) {
  const bar = page.getByTestId('sync-bar')
  return { state: await bar.getAttribute('data-state'), pending: Number(await bar.getAttribute('data-pending')) }
}

/** @param {import('playwright-core').Page} page */
async function waitSynced(page, timeout = 30_000) {
  await page.locator('[data-testid="sync-bar"][data-pending="0"]:not([data-state="busy"])').waitFor({ timeout })
}

/**
 * A test picture made by the browser: a camera-sized JPEG (so the app has
 * to downscale it) or a small PNG.
 * @param {import('playwright-core').Page} page
 * @param {'image/jpeg' | 'image/png'} type
 * @param {number} w @param {number} h @param {string} label
 */
async function picture(page, type, w, h, label) {
  const dataUrl = await page.evaluate(
    ({ type, w, h, label }) => {
      const c = document.createElement('canvas')
      c.width = w
      c.height = h
      const g = c.getContext('2d')
      if (!g) throw new Error('no canvas')
      const grad = g.createLinearGradient(0, 0, w, h)
      grad.addColorStop(0, '#1d4ed8')
      grad.addColorStop(1, '#f59e0b')
      g.fillStyle = grad
      g.fillRect(0, 0, w, h)
      g.fillStyle = '#fff'
      g.font = `${Math.round(h / 8)}px sans-serif`
      g.fillText(label, w / 10, h / 2)
      return c.toDataURL(type, 0.9)
    },
    { type, w, h, label },
  )
  return { name: `${label}.${type === 'image/png' ? 'png' : 'jpg'}`, mimeType: type, buffer: Buffer.from(dataUrl.split(',')[1] ?? '', 'base64') }
}

/**
 * A screenshot once toasts are gone.
 * @param {import('playwright-core').Page} page @param {string} name
 */
async function still(page, name) {
  await page.locator('.van-toast').last().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {})
  await shot(page, name)
}

/** @param {import('playwright-core').Page} page @param {string} testid @param {number | string} value */
async function fillStepper(page, testid, value) {
  const input = page.locator(`[data-testid="${testid}"] input`)
  await input.fill(String(value))
  await input.blur()
}

describe('the offline technician', { timeout: 240_000 }, () => {
  it('works a whole visit with no server, syncs it later, and the desk sees it (and the conflict)', async () => {
    /** @type {import('playwright-core').Page | null} */
    let current = null
    try {
      await visit((p) => (current = p))
    } catch (e) {
      if (current) await shot(/** @type {import('playwright-core').Page} */ (current), 'offline-failed').catch(() => {})
      throw e
    } finally {
      // A failure mid-way must not leave a browser open (the run would hang)
      // nor the server stopped for the next test.
      await Promise.all([...opened].map((b) => b.close().catch(() => {})))
      opened.clear()
      const up = await fetch(`${server.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
      if (!up) server = await startServer({ port: server.port, dataDir: server.dataDir })
    }
  })
})

describe('a session that ended on the server', { timeout: 120_000 }, () => {
  it('asks for the password, keeps the outbox, and replays it after signing in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'elvcare-phone-'))
    const phone = await launchPhone(dir, server.url)
    try {
      const page = phone.pages()[0] ?? (await phone.newPage())
      const errors = watchErrors(page)
      await login(page, 'wang', 'demo123')
      await page.waitForURL('**/m/tickets')
      await waitSynced(page)
      await page.locator('[data-testid="ticket-card"]', { hasText: '3楼门禁控制器刷卡没反应' }).click()
      await page.getByTestId('step-accept').waitFor()

      // The session ends on the server (signed out elsewhere, expired).
      const csrf = (await phone.cookies()).find((c) => c.name === 'csrf_token')?.value ?? ''
      const out = await page.request.post('/api/auth/logout', { headers: { 'X-CSRF-Token': csrf } })
      assert.ok(out.ok(), String(out.status()))

      // Work goes on; the sync asks for the password instead of losing it.
      await page.getByTestId('step-accept').click()
      await page.getByTestId('sync-password').waitFor()
      assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已接单')
      assert.equal((await syncBar(page)).pending, 1)
      assert.match(await page.getByTestId('sync-bar').innerText(), /登录已过期/)
      await still(page, 'offline-09-relogin')

      await page.locator('[data-testid="sync-password"] input').fill('demo123')
      await page.getByRole('button', { name: '登录并同步' }).click()
      await waitSynced(page)
      assert.equal((await syncBar(page)).state, 'ok')
      assert.equal(page.url().includes('/login'), false, 'the technician stayed on the ticket')
      assert.deepEqual(errors, [])
    } finally {
      await phone.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/** @param {(page: import('playwright-core').Page) => void} onPage */
async function visit(onPage) {
  {
    const origin = new URL(server.url).origin

    // 07:50 at home on Wi-Fi: sign in, everything syncs to the phone.
    let phone = keep(await launchPhone(profile, server.url))
    let page = phone.pages()[0] ?? (await phone.newPage())
    onPage(page)
    let errors = watchErrors(page)
    await login(page, 'wang', 'demo123')
    await page.waitForURL('**/m/tickets')
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready
      if (reg.active?.state !== 'activated') {
        await new Promise((resolve) => reg.active?.addEventListener('statechange', resolve))
      }
    })
    await waitSynced(page)
    await page.getByTestId('ticket-card').first().waitFor()
    assert.equal(await page.getByTestId('ticket-card').count(), 3, 'today: three visits (the fourth is tomorrow)')
    assert.equal((await syncBar(page)).state, 'ok')
    await shot(page, 'offline-01-list-synced')

    // The basement: the server is gone (its process stopped, not simulated).
    await server.stop({ keepData: true })
    /** @type {import('playwright-core').Request[]} */
    const offlineRequests = []
    const record = (/** @type {import('playwright-core').Request} */ r) => offlineRequests.push(r)
    page.on('request', record)

    // A reload still opens the app, from the service worker, with the
    // tickets from IndexedDB.
    await page.reload()
    await page.getByTestId('ticket-list').waitFor()
    const alarm = page.locator('[data-testid="ticket-card"]', { hasText: '红外防盗报警系统季度点检维护' })
    await alarm.waitFor()
    assert.ok((await page.getByTestId('ticket-card').count()) >= 3, 'the tickets are listed offline')
    await still(page, 'offline-02-list-offline')

    // The intrusion-alarm visit.
    await alarm.click()
    await page.getByTestId('ticket-page').waitFor()
    const ticketId = page.url().split('/').pop() ?? ''
    assert.match(ticketId, /^[0-9a-f-]{36}$/)
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已派单')
    assert.match(await page.getByTestId('tel-link').getAttribute('href') ?? '', /^tel:1\d{10}$/)
    await page.getByTestId('step-accept').click()
    await page.getByTestId('step-call').waitFor()
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已接单')

    // 09:00 the call ahead: 15:30, by phone.
    await page.getByTestId('step-call').click()
    await page.getByTestId('call-ahead-sheet').waitFor()
    await page.locator('[data-testid="call-at"] input').fill('2026-11-25T15:30')
    await page.locator('[data-testid="call-note"] textarea').fill('陈经理在一楼消防控制室等')
    await page.getByTestId('call-ahead-sheet').getByTestId('sheet-save').click()
    await page.getByTestId('step-depart').waitFor()
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已预约')
    assert.equal((await page.getByTestId('appointment-at').innerText()).trim(), '2026-11-25 15:30')

    // 10:15 on site.
    await page.getByTestId('step-arrive').click()
    await page.getByTestId('tools').waitFor()
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已到场')

    // The checklist, item by item.
    await page.getByTestId('tool-checklist').click()
    await page.getByTestId('checklist-page').waitFor()
    await page.waitForURL('**/checklist/**')
    const choices = {
      'panel.dust': 'cleaned',
      'panel.battery': 'needs_replacing',
      'panel.arming': 'normal',
      'panel.instructions': 'clear',
      'panel.usage': 'proper',
      'pir.walk_test': 'normal',
    }
    for (const [item, option] of Object.entries(choices)) await page.getByTestId(`opt-${item}-${option}`).click()
    const counts = [
      ['panel.zones', 'checked', 12],
      ['panel.zones', 'normal', 11],
      ['beam.dust', 'cleaned', 4],
      ['beam.dust', 'normal', 4],
      ['beam.receiver', 'checked', 4],
      ['beam.receiver', 'handled', 0],
      ['beam.surroundings', 'checked', 4],
      ['beam.surroundings', 'handled', 1],
      ['pir.dust', 'checked', 8],
      ['pir.dust', 'handled', 8],
      ['pir.battery', 'checked', 8],
      ['pir.battery', 'replaced', 2],
    ]
    for (const [item, counter, n] of counts) await fillStepper(page, `count-${item}-${counter}`, n)
    // Text still in its typing pause when the page is hidden is kept at
    // once (the phone may kill the page), then saved, and the copy dropped.
    const cid = decodeURIComponent(page.url().split('/checklist/')[1] ?? '')
    const summaryBox = page.locator('[data-testid="text-summary"] textarea')
    await summaryBox.fill('后备电池')
    const kept = await page.evaluate(() => {
      window.dispatchEvent(new Event('pagehide'))
      return Object.keys(localStorage)
        .filter((k) => k.startsWith('elvcare.drafts.'))
        .map((k) => localStorage.getItem(k) ?? '')
    })
    assert.equal(kept.length, 1, 'the waiting answer is kept when the page is hidden')
    assert.match(kept[0] ?? '', /后备电池/)
    await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('elvcare.drafts.')))
    // A page killed before its save leaves such a copy: the report saves it
    // when it opens again.
    const summary = '12 个防区检查正常 11 个，修复 1 个；后备电池已坏，已更换。'
    await page.evaluate(
      ([id, text]) => localStorage.setItem(`elvcare.drafts.${id}`, JSON.stringify({ summary: { itemKey: 'summary', text } })),
      [cid, summary],
    )
    await page.reload()
    await page.getByTestId('checklist-page').waitFor()
    await page.getByText('已填 13/13').waitFor()
    assert.equal(await summaryBox.inputValue(), summary)
    await page.getByTestId('checklist-page').evaluate(() => window.scrollTo(0, 0))
    await still(page, 'offline-04-checklist')
    await page.getByTestId('checklist-done').click()
    await page.getByTestId('ticket-page').waitFor()

    // The work record, two parts, two photos.
    await page.getByTestId('tool-work').click()
    await page.locator('[data-testid="work-text"] textarea').fill('后备电池已坏，更换 12V 7Ah 蓄电池；断市电测试切换正常；清理主机及探头灰尘')
    await page.getByTestId('work-sheet').getByTestId('sheet-save').click()
    await page.getByTestId('work-sheet').waitFor({ state: 'hidden' })
    for (const [name, model, qty] of [
      ['后备蓄电池', '12V 7Ah', 1],
      ['无线探头电池', 'CR123A', 2],
    ]) {
      await page.getByTestId('tool-part').click()
      await page.locator('[data-testid="part-name"] input').fill(String(name))
      await page.locator('[data-testid="part-model"] input').fill(String(model))
      await fillStepper(page, 'part-qty', qty)
      await page.getByTestId('part-sheet').getByTestId('sheet-save').click()
      await page.getByTestId('part-sheet').waitFor({ state: 'hidden' })
    }
    // The panel is swapped: its serial comes prefilled from the archive.
    await page.getByTestId('tool-swap').click()
    await page.getByTestId('swap-sheet').waitFor()
    const oldSerial = await page.locator('[data-testid="swap-old"] input').inputValue()
    assert.match(oldSerial, /^SN\d+$/)
    await page.locator('[data-testid="swap-new"] input').fill('SN-NEW-20261125')
    await page.getByTestId('swap-sheet').getByTestId('sheet-save').click()
    await page.getByTestId('swap-sheet').waitFor({ state: 'hidden' })
    await page.getByText('SN-NEW-20261125').first().waitFor()
    await page.getByTestId('photo-gallery').setInputFiles(await picture(page, 'image/jpeg', 2400, 1800, 'battery'))
    await page.getByTestId('photo-thumb').first().waitFor()
    await page.getByTestId('photo-gallery').setInputFiles(await picture(page, 'image/png', 640, 480, 'panel'))
    await page.getByTestId('photo-thumb').nth(1).waitFor()
    assert.equal(await page.getByTestId('work-list').locator('.van-cell').count(), 1)
    assert.equal(await page.getByTestId('part-list').locator('.van-cell').count(), 2)
    await still(page, 'offline-03-ticket')

    // 已完成服务.
    await page.getByTestId('step-result').click()
    await page.getByTestId('result-sheet').waitFor()
    await page.getByTestId('result-done').click()
    await page.getByTestId('result-sheet').getByTestId('sheet-save').click()
    await page.getByTestId('step-sign').waitFor()
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已处理')

    // The phone goes to the customer: 设备正常, 没有附件, 很满意, signature.
    await page.getByTestId('step-sign').click()
    await page.getByTestId('sign-page').waitFor()
    await page.getByTestId('acc-equipment-ok').click()
    await page.getByTestId('acc-accessories-none').click()
    await page.getByTestId('acc-satisfaction-very_satisfied').click()
    await page.locator('[data-testid="acc-comments"] textarea').fill('王工很专业，处理及时')
    await page.locator('[data-testid="acc-signer"] input').fill('陈经理')
    const canvas = page.getByTestId('signature-canvas')
    await canvas.scrollIntoViewIfNeeded()
    const box = await canvas.boundingBox()
    assert.ok(box, 'the signature pad is on screen')
    const strokes = [
      [
        [0.12, 0.55],
        [0.2, 0.3],
        [0.28, 0.7],
        [0.36, 0.35],
      ],
      [
        [0.45, 0.4],
        [0.55, 0.62],
        [0.62, 0.3],
        [0.72, 0.6],
        [0.86, 0.45],
      ],
    ]
    for (const stroke of strokes) {
      const [x0, y0] = stroke[0] ?? [0, 0]
      await page.mouse.move(box.x + box.width * x0, box.y + box.height * y0)
      await page.mouse.down()
      for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 8 })
      await page.mouse.up()
    }
    await page.getByTestId('signature-clear').waitFor()
    assert.equal(await page.getByTestId('signature-clear').isDisabled(), false, 'the pad took the strokes')
    await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await still(page, 'offline-05-signature')
    // Turned to landscape and back, the signature stays.
    await page.setViewportSize({ width: 844, height: 390 })
    await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }))
    await still(page, 'offline-05-signature-landscape')
    assert.equal(await page.getByTestId('signature-clear').isDisabled(), false, 'the strokes survive the turn')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByTestId('acc-submit').click()
    await page.getByTestId('ticket-page').waitFor()
    await page.getByTestId('ticket-acceptance').waitFor()
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '客户已签字')

    // The bar says what waits.
    const offlineBar = await syncBar(page)
    assert.ok(offlineBar.pending > 20, `pending ${offlineBar.pending}`)
    assert.equal(offlineBar.state, 'waiting')
    await page.evaluate(() => window.scrollTo(0, 0))
    await still(page, 'offline-06-syncbar-offline')

    // Nothing reached any server while it was away: the shell came from the
    // service worker's precache, and no other site was asked for anything.
    page.off('request', record)
    const reached = []
    for (const r of offlineRequests) {
      const url = r.url()
      if (url.startsWith('data:') || url.startsWith('blob:')) continue
      if (new URL(url).origin !== origin) {
        reached.push(`${r.method()} ${url} (another site)`)
        continue
      }
      const res = await r.response()
      if (res && !res.fromServiceWorker()) reached.push(`${r.method()} ${url} → ${res.status()}`)
    }
    assert.deepEqual(reached, [])
    assert.ok(offlineRequests.some((r) => r.resourceType() === 'document'), 'the reload was seen')
    assert.deepEqual(errors, [])
    await phone.close()

    // The server comes back on the same data and port. Before the phone
    // syncs, the desk sets the appointment of the same ticket.
    server = await startServer({ port: server.port, dataDir: server.dataDir })
    const browser = keep(await launch())
    const desk = await browser.newContext({ baseURL: server.url, locale: 'zh-CN' })
    const api = desk.request
    const signIn = await api.post('/api/auth/login', { data: { login: 'chen', password: 'demo123' } })
    assert.equal(signIn.status(), 200, await signIn.text())
    const csrf = (await desk.cookies()).find((c) => c.name === 'csrf_token')?.value ?? ''
    const set = await api.post(`/api/tickets/${ticketId}/appointment`, {
      data: { at: '2026-11-25T08:00:00Z', method: 'phone' },
      headers: { 'X-CSRF-Token': csrf },
    })
    assert.equal(set.status(), 200, await set.text())

    // 12:40 above ground: the phone syncs by itself.
    phone = keep(await launchPhone(profile, server.url))
    page = phone.pages()[0] ?? (await phone.newPage())
    onPage(page)
    errors = watchErrors(page)
    await page.goto(`/m/tickets/${ticketId}`)
    await page.getByTestId('ticket-page').waitFor()
    await waitSynced(page, 60_000)
    await page.getByTestId('sync-conflicts').waitFor()
    assert.equal((await page.getByTestId('ticket-state').innerText()).trim(), '已交回')
    await still(page, 'offline-07-syncbar-synced')
    await page.getByTestId('sync-bar').click()
    await page.getByTestId('sync-issues').waitFor()
    await page.getByText('客服中心同时修改了此项').waitFor()
    await still(page, 'offline-08-sync-details')
    assert.deepEqual(errors, [])
    await phone.close()

    // The desk sees the whole visit.
    const res = await api.get(`/api/tickets/${ticketId}`)
    assert.equal(res.status(), 200)
    const detail = await res.json()
    const t = detail.ticket
    assert.equal(t.state, 'returned')
    assert.equal(t.calls.length, 1)
    assert.equal(t.appointment.at, '2026-11-25T07:30:00Z', 'the technician owns the appointment')
    assert.equal(t.work.length, 1)
    assert.deepEqual(
      t.parts.map((/** @type {{ name: string, qty: number }} */ p) => [p.name, p.qty]),
      [
        ['后备蓄电池', 1],
        ['无线探头电池', 2],
      ],
    )
    assert.equal(t.photos.filter((/** @type {{ paper?: boolean }} */ p) => !p.paper).length, 2)
    assert.deepEqual(
      t.swaps.map((/** @type {{ oldSerial: string, newSerial: string }} */ x) => [x.oldSerial, x.newSerial]),
      [[oldSerial, 'SN-NEW-20261125']],
    )
    assert.deepEqual(t.result, { status: 'done' })
    assert.equal(t.acceptance.equipmentOk, true)
    assert.equal(t.acceptance.accessories, 'none')
    assert.equal(t.acceptance.satisfaction, 'very_satisfied')
    assert.equal(t.signature.signerName, '陈经理')
    assert.match(t.signature.contentHash, /^[0-9a-f]{64}$/)
    assert.match(t.signature.imageHash, /^[0-9a-f]{64}$/)
    assert.equal(detail.checklists.length, 1)
    const cl = detail.checklists[0]
    assert.match(cl.number, /^WB-\d{4}-\d{5}$/)
    assert.equal(Object.keys(cl.answers).length, 13, 'every item answered')
    assert.equal(cl.answers['panel.battery'].choice, 'needs_replacing')
    assert.deepEqual(cl.answers['panel.zones'].counts, { checked: 12, normal: 11 })
    assert.deepEqual(cl.answers['pir.battery'].counts, { checked: 8, replaced: 2 })
    assert.match(cl.summary, /后备电池已坏/)

    // The photos are real, downscaled JPEGs; the signature a PNG.
    for (const p of t.photos) {
      const blob = await api.get(`/api/blobs/${p.hash}`)
      assert.equal(blob.status(), 200)
      assert.equal(blob.headers()['content-type'], 'image/jpeg')
    }
    const sig = await api.get(`/api/blobs/${t.signature.imageHash}`)
    assert.equal(sig.headers()['content-type'], 'image/png')

    // The appointment clash: a conflict record with both values.
    const conflicts = await (await api.get('/api/conflicts')).json()
    const clash = conflicts.items.find(
      (/** @type {{ ticketId?: string, field?: string }} */ c) => c.ticketId === ticketId && c.field === 'appointment',
    )
    assert.ok(clash, JSON.stringify(conflicts.items))
    assert.equal(clash.reason, 'field_changed')
    assert.equal(clash.kept.at, '2026-11-25T07:30:00Z')
    assert.equal(clash.keptSide, 'field')
    assert.equal(clash.lost.at, '2026-11-25T08:00:00Z')
    assert.equal(clash.lostSide, 'desk')
    await browser.close()
  }
}
