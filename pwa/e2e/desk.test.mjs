// The service desk against the real server with its demo data (journeys 1
// and 5): 陈小姐 finds 华强物业 by the caller's number, opens a 联络单 for its
// annual-contract CCTV and dispatches it to 王工, a specialist; 王工 (a
// second browser context, on a phone) accepts, calls ahead, works, records
// the result and gets the customer's signature — through the sync API his
// app uses; the board moves the ticket to 待回访 on its own (live events);
// the desk records the callback; the month's statistics show the score, are
// published, and export to a workbook. The escalation path: 李经理 assigns
// the demo escalated ticket to 张工, who is not a specialist. A callback
// "问题未解决" reopens a ticket and the follow-up visit opens under the same
// job. Screenshots at 1440×900 go to test-results/.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { DESK, PHONE, launch, login, newPage, shot } from './browser.mjs'
import { startServer } from './server.mjs'

/** @type {import('./server.mjs').RunningServer} */
let server
/** @type {import('playwright-core').Browser} */
let browser

before(async () => {
  server = await startServer()
  browser = await launch()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const CALLER = '13802561234' // 陈经理 of 深圳市华强物业管理有限公司
const CUSTOMER = '深圳市华强物业管理有限公司'
const REQUEST = '地下二层停车场的监控录像机没有画面了'

/** A canonical UUIDv7, as devices make for the items they add. */
function uuid7() {
  const b = randomBytes(16)
  const ms = BigInt(Date.now())
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  b[6] = (b[6] & 0x0f) | 0x70
  b[8] = (b[8] & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * Picks an option of an Element Plus select.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} select
 * @param {string} option
 */
async function pick(page, select, option) {
  await select.click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
}

/**
 * The JSON API as the browser context's user, CSRF token included.
 * @param {import('playwright-core').BrowserContext} context
 */
function apiOf(context) {
  const csrf = async () => (await context.cookies()).find((c) => c.name === 'csrf_token')?.value ?? ''
  return {
    /** @param {string} path */
    async get(path) {
      const res = await context.request.get(path)
      assert.equal(res.status(), 200, `GET ${path}: ${res.status()} ${await res.text()}`)
      return res.json()
    },
    /** @param {string} path @param {unknown} body */
    async post(path, body) {
      const res = await context.request.post(path, { data: body, headers: { 'X-CSRF-Token': await csrf() } })
      assert.ok(res.ok(), `POST ${path}: ${res.status()} ${await res.text()}`)
      return res.json()
    },
    /** @param {string} path @param {Buffer} data @param {string} type */
    async upload(path, data, type) {
      const res = await context.request.post(path, { data, headers: { 'X-CSRF-Token': await csrf(), 'Content-Type': type } })
      assert.ok(res.ok(), `POST ${path}: ${res.status()} ${await res.text()}`)
      return res.json()
    },
  }
}

/**
 * 王工's phone: pushes his field mutations in order, one client id, as the
 * app's outbox does (docs/sync-protocol.md).
 * @param {ReturnType<typeof apiOf>} api
 */
function fieldClient(api) {
  const clientId = `wang-e2e-${randomBytes(4).toString('hex')}`
  let next = 1
  return {
    /** @param {Array<[string, Record<string, unknown>]>} muts @param {'applied' | 'conflict'} expect */
    async push(muts, expect = 'applied') {
      const mutations = muts.map(([name, args]) => ({ id: next++, name, args, deviceTime: new Date().toISOString() }))
      const res = await api.post('/api/sync/push', { clientId, schemaVersion: 1, sentAt: new Date().toISOString(), mutations })
      for (const r of res.results) assert.equal(r.status, expect, `${JSON.stringify(r)}`)
      return res
    },
  }
}

/**
 * A signature as the phone's pad draws it: strokes on a canvas, as PNG.
 * @param {import('playwright-core').Page} page
 */
async function drawnSignature(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas')
    c.width = 480
    c.height = 200
    const g = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'))
    g.fillStyle = '#fff'
    g.fillRect(0, 0, c.width, c.height)
    g.strokeStyle = '#111'
    g.lineWidth = 4
    g.lineCap = 'round'
    g.beginPath()
    g.moveTo(40, 140)
    g.bezierCurveTo(90, 20, 140, 180, 190, 90)
    g.bezierCurveTo(230, 30, 260, 160, 310, 110)
    g.moveTo(320, 120)
    g.bezierCurveTo(360, 60, 400, 150, 440, 80)
    g.stroke()
    return c.toDataURL('image/png').split(',')[1]
  })
  return Buffer.from(b64, 'base64')
}

/**
 * The whole visit of one ticket on the phone: accept, call ahead, leave,
 * arrive, work, part, photo, result, the customer's acceptance and signature.
 * @param {ReturnType<typeof fieldClient>} phone
 * @param {ReturnType<typeof apiOf>} api
 * @param {string} id
 * @param {Buffer} png
 * @param {{ satisfaction: string, work: string }} how
 */
async function completeVisit(phone, api, id, png, how) {
  const sig = await api.upload('/api/sync/files', png, 'image/png')
  const photo = await api.upload('/api/sync/files', Buffer.concat([png, randomBytes(8)]), 'image/png').catch(() => sig)
  const at = new Date(Date.now() + 30 * 60_000).toISOString()
  await phone.push([
    ['ticket.accept', { id }],
    ['ticket.callAhead', { id, callId: uuid7(), calledAt: new Date().toISOString(), method: 'phone', appointmentAt: at, note: '陈经理在监控室等候' }],
    ['ticket.depart', { id }],
    ['ticket.arrive', { id }],
    ['ticket.addWork', { id, workId: uuid7(), text: how.work }],
    ['ticket.addPart', { id, partId: uuid7(), name: '监控专用硬盘', model: '希捷 ST4000VX015 4TB', qty: 1 }],
    ['ticket.addPhoto', { id, photoId: uuid7(), hash: photo.hash, caption: '更换后的硬盘' }],
    ['ticket.setResult', { id, result: { status: 'done' } }],
    [
      'ticket.sign',
      {
        id,
        acceptance: { equipmentOk: true, accessories: 'none', satisfaction: how.satisfaction },
        signatureHash: sig.hash,
        signerName: '陈经理',
      },
    ],
  ])
}

describe('service desk', { timeout: 300_000 }, () => {
  /** The ticket the desk opens in journey 1. */
  let opened = { id: '', number: '' }

  it('journey 1: the desk opens a ticket from the caller’s number and dispatches it to 王工', async () => {
    const { context, page, errors } = await newPage(browser, server.url, DESK)
    await login(page, 'chen', 'demo123')
    await page.waitForURL('**/d/dispatch')
    await page.locator('[data-column="new"]').getByTestId('ticket-card').first().waitFor()
    assert.equal(await page.getByText('即将上线').count(), 0)
    assert.match(await page.locator('[data-column="escalated"]').innerText(), /程控交换机需要重新布线/)
    assert.match(await page.getByTestId('tech-strip').innerText(), /王工[\s\S]*专员/)
    await page.getByTestId('live-status').filter({ hasText: '实时更新' }).waitFor()

    // 09:10 — 华强物业 calls.
    await page.getByTestId('new-ticket').click()
    await page.waitForURL('**/d/intake')
    await page.getByTestId('caller-phone').fill(CALLER)
    await page.getByTestId('caller-lookup').click()
    await page.getByTestId('found-customer').filter({ hasText: CUSTOMER }).waitFor()
    assert.equal(await page.getByTestId('intake-contact').inputValue(), '陈经理')
    assert.equal(await page.getByTestId('intake-phone').inputValue(), CALLER)
    await pick(page, page.getByTestId('intake-site'), '华强大厦')
    assert.match(await page.getByTestId('intake-address').innerText(), /华强北路1019号/)
    await pick(page, page.getByTestId('intake-system'), '闭路监控')
    await pick(page, page.getByTestId('intake-equipment'), '海康威视 DS-7816N-K2')
    await page.keyboard.press('Escape')
    await page.getByTestId('intake-requested').fill(REQUEST)
    await page.getByTestId('intake-condition').fill('录像机前面板硬盘灯不亮，客户已重启无效')
    // The coverage of CCTV at 华强大厦: the annual contract until 31 March.
    const cover = page.getByTestId('intake-coverage')
    await cover.getByText('按年合同', { exact: true }).waitFor()
    assert.match(await cover.innerText(), /至 \d{4}-03-31/)
    assert.equal(await page.getByTestId('intake-customer-type').innerText(), '按年合同客户')
    await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden' }).catch(() => undefined)
    await shot(page, 'desk-intake')

    await page.getByTestId('intake-submit').click()
    const number = (await page.getByTestId('created-number').innerText()).trim()
    assert.match(number, /^LL-\d{4}-\d{5}$/)
    await page.getByTestId('intake-done').getByText('按年合同客户').waitFor()

    // Dispatch right away: 王工 (specialist, CCTV) is offered first; 张工 is
    // not a specialist, so the desk cannot pick him.
    await page.getByTestId('dispatch-now').click()
    const dialog = page.getByTestId('assign-dialog')
    await dialog.locator('[data-tech="王工"]').waitFor()
    assert.ok(await dialog.locator('[data-tech="王工"] input').isChecked())
    assert.ok(await dialog.locator('[data-tech="张工"] input').isDisabled())
    assert.match(await dialog.locator('[data-tech="王工"]').innerText(), /今日 \d 单/)
    await shot(page, 'desk-assign')
    await dialog.getByTestId('assign-submit').click()
    await page.waitForURL('**/d/dispatch')
    const card = page.locator('[data-column="assigned"] [data-tech="王工"]').getByTestId('ticket-card').filter({ hasText: number })
    await card.waitFor()

    const api = apiOf(context)
    const list = await api.get('/api/tickets?state=assigned')
    const t = list.items.find((/** @type {{ number: string }} */ x) => x.number === number)
    assert.equal(t.leadName, '王工')
    assert.equal(t.customerType, 'annual')
    assert.equal(t.contactPhone, CALLER)
    assert.equal(t.equipmentIds.length, 1)
    opened = { id: t.id, number }
    assert.deepEqual(errors, [])
    await context.close()
  })

  it('王工 completes and signs it on his phone; the board follows live; the desk calls back; the month scores it', async () => {
    assert.ok(opened.id, 'journey 1 opened a ticket')
    const desk = await newPage(browser, server.url, DESK)
    await login(desk.page, 'chen', 'demo123')
    await desk.page.waitForURL('**/d/dispatch')
    await desk.page.getByTestId('live-status').filter({ hasText: '实时更新' }).waitFor()

    // The technician's phone: a second context at 390×844.
    const tech = await newPage(browser, server.url, PHONE, { mobile: true })
    await login(tech.page, 'wang', 'demo123')
    await tech.page.waitForURL('**/m/**')
    const wangApi = apiOf(tech.context)
    const phone = fieldClient(wangApi)
    const png = await drawnSignature(tech.page)
    await completeVisit(phone, wangApi, opened.id, png, { satisfaction: 'very_satisfied', work: '硬盘故障，更换监控硬盘，录像恢复' })
    // Another of his visits under way, for the 进行中 column.
    const deskApi = apiOf(desk.context)
    const board = await deskApi.get('/api/dispatch/board')
    const door = board.assigned.find((/** @type {{ requested: string }} */ x) => x.requested.includes('门禁'))
    await phone.push([
      ['ticket.accept', { id: door.id }],
      ['ticket.callAhead', { id: door.id, callId: uuid7(), calledAt: new Date().toISOString(), method: 'phone', appointmentAt: new Date().toISOString() }],
      ['ticket.arrive', { id: door.id }],
    ])

    // The board moves the ticket to 待回访 without a reload.
    await desk.page.locator('[data-column="returned"]').getByTestId('ticket-card').filter({ hasText: opened.number }).waitFor({ timeout: 15_000 })
    await desk.page.locator('[data-column="inProgress"]').getByText('3楼门禁控制器刷卡没反应').waitFor()
    await desk.page.waitForTimeout(300)
    await shot(desk.page, 'desk-board')

    // The ticket as the desk reads it: field work, signature with its hash, timeline.
    await desk.page.locator('[data-column="returned"]').getByTestId('ticket-card').filter({ hasText: opened.number }).click()
    await desk.page.waitForURL(`**/d/tickets/${opened.id}`)
    await desk.page.getByTestId('ticket-number').filter({ hasText: opened.number }).waitFor()
    assert.match(await desk.page.getByTestId('ticket-head').innerText(), /已交回[\s\S]*按年合同客户/)
    assert.match(await desk.page.getByTestId('ticket-field').innerText(), /硬盘故障，更换监控硬盘[\s\S]*希捷 ST4000VX015/)
    assert.match(await desk.page.getByTestId('content-hash').innerText(), /^[0-9a-f]{64}$/)
    assert.equal(await desk.page.getByTestId('ticket-tel').getAttribute('href'), `tel:${CALLER}`)
    const sigImg = desk.page.getByTestId('ticket-signature').locator('img')
    await sigImg.waitFor()
    assert.match((await sigImg.getAttribute('src')) ?? '', /^\/api\/blobs\/[0-9a-f]{64}$/)
    assert.match(await desk.page.getByTestId('ticket-timeline').innerText(), /开联络单[\s\S]*派单[\s\S]*客户签字/)
    await shot(desk.page, 'desk-ticket')
    // The PDF routes land separately: until then printing says so; once
    // there, the form opens in a new tab.
    const tab = desk.context
      .waitForEvent('page', { timeout: 10_000 })
      .then((p) => p.close())
      .catch(() => undefined)
    await desk.page.getByTestId('act-print').click()
    await Promise.race([tab, desk.page.locator('.el-message').first().waitFor()])
    // The customer's copy: a link that opens without an account.
    await desk.page.getByTestId('act-share').click()
    const link = await desk.page.getByTestId('share-url').inputValue()
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/s\/[\w-]+$/)
    const copy = await fetch(link)
    assert.ok(copy.status === 200 || copy.status === 503, `customer copy: ${copy.status}`)
    if (copy.status === 200) assert.equal(copy.headers.get('content-type'), 'application/pdf')
    await desk.page.keyboard.press('Escape')

    // The callback queue: today's returned form, and the callback.
    await desk.page.getByRole('menuitem', { name: '回访' }).click()
    await desk.page.waitForURL('**/d/callbacks')
    const row = desk.page.getByTestId('callback-table').locator('.el-table__row', { hasText: opened.number })
    await row.waitFor()
    assert.match(await row.innerText(), /今日/)
    await shot(desk.page, 'desk-callbacks')
    await row.getByTestId('cb-open').click()
    const cb = desk.page.getByTestId('callback-dialog')
    await cb.getByTestId('cb-score').filter({ hasText: '+5' }).waitFor()
    await cb.getByText('很满意', { exact: true }).click()
    await cb.getByTestId('cb-comments').fill('王工处理很快，谢谢')
    await shot(desk.page, 'desk-callback-dialog')
    await cb.getByTestId('cb-submit').click()
    await cb.waitFor({ state: 'hidden' })
    await row.waitFor({ state: 'detached' })

    // Month end: the score counts for 王工.
    await desk.page.getByRole('menuitem', { name: '统计' }).click()
    await desk.page.waitForURL('**/d/stats')
    const wang = desk.page.getByTestId('stats-table').locator('.el-table__row', { hasText: '王工' })
    await wang.waitFor()
    assert.match((await wang.innerText()).replace(/\s+/g, ' '), /王工 1 \+5 5\.00 1 0 0 0 0 — 100%/)
    await desk.page.locator('canvas').first().waitFor()
    await desk.page.waitForTimeout(500)
    await shot(desk.page, 'desk-stats-first')

    // Publish: version 1 is frozen; export downloads a real workbook.
    await desk.page.getByTestId('stats-publish').click()
    await desk.page.locator('.el-message-box').getByRole('button', { name: '发布' }).click()
    await desk.page.locator('.el-message').filter({ hasText: '已发布：' }).first().waitFor()
    await desk.page.waitForFunction(() => /version=1$/.test(document.querySelector('[data-testid="stats-export"]')?.getAttribute('href') ?? ''))
    const href = await desk.page.getByTestId('stats-export').getAttribute('href')
    const published = await deskApi.get(`/api/stats/published?month=${href?.match(/month=([\d-]+)/)?.[1]}`)
    assert.equal(published.items.length, 1)
    assert.equal(published.items[0].rows.find((/** @type {{ name: string }} */ r) => r.name === '王工').total, 5)
    assert.match(href ?? '', /^\/api\/stats\/monthly\.xlsx\?month=\d{4}-\d{2}&version=1$/)
    const xlsx = await desk.context.request.get(href ?? '')
    assert.equal(xlsx.status(), 200)
    assert.match(xlsx.headers()['content-type'] ?? '', /spreadsheetml/)
    const bytes = await xlsx.body()
    assert.equal(bytes.subarray(0, 2).toString(), 'PK')
    assert.ok(bytes.includes(Buffer.from('xl/worksheets/')), 'a workbook with worksheets')

    // The only failed request may be the form PDF (no route yet: 404; no CJK font on the server: 503).
    assert.deepEqual(desk.errors.filter((e) => !/status of (404|503)/.test(e)), [])
    await tech.context.close()
    await desk.context.close()
  })

  it('escalation: 李经理 assigns the escalated ticket to 张工, who is not a specialist', async () => {
    const mgr = await newPage(browser, server.url, DESK)
    await login(mgr.page, 'li', 'demo123')
    await mgr.page.waitForURL('**/d/queue')
    const row = mgr.page.getByTestId('queue-table').locator('.el-table__row', { hasText: '程控交换机需要重新布线' })
    await row.waitFor()
    await row.getByTestId('queue-assign').click()
    const dialog = mgr.page.getByTestId('assign-dialog')
    await dialog.getByText('今天没有覆盖电话系统的售后专员').waitFor()
    const zhang = dialog.locator('[data-tech="张工"]')
    assert.ok(!(await zhang.locator('input').isDisabled()), 'the manager may pick a non-specialist')
    assert.match(await zhang.innerText(), /非专员/)
    await zhang.click()
    await shot(mgr.page, 'desk-manager-assign')
    await dialog.getByTestId('assign-submit').click()
    await dialog.waitFor({ state: 'hidden' })
    await row.waitFor({ state: 'detached' })

    const desk = await newPage(browser, server.url, DESK)
    await login(desk.page, 'chen', 'demo123')
    await desk.page.waitForURL('**/d/dispatch')
    await desk.page.locator('[data-column="assigned"] [data-tech="张工"]').getByText('程控交换机需要重新布线').waitFor()
    const board = await apiOf(desk.context).get('/api/dispatch/board')
    assert.equal((board.escalated ?? []).length, 0)
    const t = board.assigned.find((/** @type {{ requested: string }} */ x) => x.requested === '程控交换机需要重新布线')
    assert.equal(t.leadName, '张工')

    // 张工 does the visit; the desk calls back; the score counts for him.
    const tech = await newPage(browser, server.url, PHONE, { mobile: true })
    await login(tech.page, 'zhang', 'demo123')
    await tech.page.waitForURL('**/m/**')
    const zhangApi = apiOf(tech.context)
    await completeVisit(fieldClient(zhangApi), zhangApi, t.id, await drawnSignature(tech.page), {
      satisfaction: 'satisfied',
      work: '机房搬迁后重新布线，核对分机号并逐一测试',
    })
    await desk.page.goto(`/d/callbacks?ticket=${t.id}`)
    const cb = desk.page.getByTestId('callback-dialog')
    await cb.getByTestId('cb-score').filter({ hasText: '+3' }).waitFor()
    await cb.getByTestId('cb-submit').click()
    await cb.waitFor({ state: 'hidden' })
    const after = (await apiOf(desk.context).get(`/api/tickets/${t.id}`)).ticket
    assert.equal(after.state, 'called_back')
    assert.equal(after.leadName, '张工')

    assert.deepEqual(mgr.errors, [])
    assert.deepEqual(desk.errors, [])
    await tech.context.close()
    await mgr.context.close()
    await desk.context.close()
  })

  it('a callback "问题未解决" reopens the ticket and opens a follow-up visit under the same job', async () => {
    const desk = await newPage(browser, server.url, DESK)
    await login(desk.page, 'chen', 'demo123')
    await desk.page.waitForURL('**/d/dispatch')
    const deskApi = apiOf(desk.context)
    const board = await deskApi.get('/api/dispatch/board')
    const alarm = board.assigned.find((/** @type {{ requested: string }} */ x) => x.requested.includes('红外防盗报警'))
    assert.ok(alarm, 'the demo alarm visit of 王工')

    const tech = await newPage(browser, server.url, PHONE, { mobile: true })
    await login(tech.page, 'wang', 'demo123')
    await tech.page.waitForURL('**/m/**')
    const wangApi = apiOf(tech.context)
    await completeVisit(fieldClient(wangApi), wangApi, alarm.id, await drawnSignature(tech.page), {
      satisfaction: 'satisfied',
      work: '更换防盗主机后备电池，测试各防区报警正常',
    })

    await desk.page.goto(`/d/callbacks?ticket=${alarm.id}`)
    const cb = desk.page.getByTestId('callback-dialog')
    await cb.waitFor()
    await cb.getByTestId('cb-solved').getByText('问题未解决').click()
    await cb.getByText('一般', { exact: true }).click()
    await cb.getByTestId('cb-comments').fill('夜间仍有误报')
    await cb.getByTestId('cb-submit').click()
    await cb.getByTestId('callback-reopened').waitFor()
    await cb.getByTestId('cb-follow-up').click()

    await desk.page.waitForURL(/\/d\/intake\?followUp=/)
    await desk.page.getByText(/跟进上门：原联络单 LL-\d{4}-\d{5}/).waitFor()
    // The form is prefilled from the original ticket once it has loaded.
    const requested = desk.page.getByTestId('intake-requested')
    for (let i = 0; i < 100 && !(await requested.inputValue()); i++) await desk.page.waitForTimeout(100)
    assert.match(await requested.inputValue(), /^跟进：红外防盗报警系统季度点检维护/)
    await desk.page.getByTestId('intake-coverage').getByText('按年合同', { exact: true }).waitFor()
    await desk.page.getByTestId('intake-submit').click()
    const number = (await desk.page.getByTestId('created-number').innerText()).trim()
    assert.match(number, /^LL-\d{4}-\d{5}$/)

    const before = (await deskApi.get(`/api/tickets/${alarm.id}`)).ticket
    assert.equal(before.state, 'reopened')
    assert.equal(before.callback.solved, false)
    const next = (await deskApi.get('/api/tickets?state=new')).items.find((/** @type {{ number: string }} */ x) => x.number === number)
    assert.equal(next.jobId, before.jobId)
    assert.equal(next.customerId, before.customerId)
    assert.equal(next.siteId, before.siteId)
    assert.equal(next.system, before.system)

    // It waits on the board under 待派单, beside the reopened one.
    await desk.page.goto('/d/dispatch')
    await desk.page.locator('[data-column="new"]').getByText(number).waitFor()
    assert.deepEqual(desk.errors, [])
    await tech.context.close()
    await desk.context.close()
  })

  it('a dispatcher who was beaten to it is told who won, and the board refreshes', async () => {
    const desk = await newPage(browser, server.url, DESK)
    await login(desk.page, 'chen', 'demo123')
    await desk.page.waitForURL('**/d/dispatch')
    const card = desk.page.locator('[data-column="new"]').getByTestId('ticket-card').filter({ hasText: '背景音乐二区无声' })
    await card.getByTestId('card-assign').click()
    const dialog = desk.page.getByTestId('assign-dialog')
    await dialog.locator('[data-tech="刘工"]').click()

    // Meanwhile 李经理 assigns it.
    const mgr = await newPage(browser, server.url, DESK)
    await login(mgr.page, 'li', 'demo123')
    await mgr.page.waitForURL('**/d/queue')
    const mgrApi = apiOf(mgr.context)
    const board = await mgrApi.get('/api/dispatch/board')
    const pa = board.new.find((/** @type {{ requested: string }} */ x) => x.requested === '背景音乐二区无声')
    const zhang = board.technicians.find((/** @type {{ name: string }} */ x) => x.name === '张工')
    await mgrApi.post(`/api/tickets/${pa.id}/assign`, { lead: zhang.id })

    await dialog.getByTestId('assign-submit').click()
    await desk.page.locator('.el-message').filter({ hasText: /李经理刚刚更新了此工单/ }).waitFor()
    await desk.page.locator('[data-column="assigned"] [data-tech="张工"]').getByText('背景音乐二区无声').waitFor()
    assert.deepEqual(
      desk.errors.filter((e) => !/status of 409/.test(e)),
      [],
    )
    await mgr.context.close()
    await desk.context.close()
  })

  it('a technician’s offline appointment meets the desk’s: the conflict shows both values and the desk restores its own', async () => {
    const desk = await newPage(browser, server.url, DESK)
    await login(desk.page, 'chen', 'demo123')
    await desk.page.waitForURL('**/d/dispatch')
    const deskApi = apiOf(desk.context)
    const board = await deskApi.get('/api/dispatch/board')
    const net = board.assigned.find((/** @type {{ requested: string }} */ x) => x.requested === '三楼办公区网络时断时续')
    assert.ok(net, 'the demo network visit of 刘工')

    const tech = await newPage(browser, server.url, PHONE, { mobile: true })
    await login(tech.page, 'liu', 'demo123')
    await tech.page.waitForURL('**/m/**')
    const phone = fieldClient(apiOf(tech.context))
    const r0 = (await deskApi.get(`/api/tickets/${net.id}`)).ticket.rev
    await phone.push([['ticket.accept', { id: net.id, baseRev: r0 }]])
    const seen = (await deskApi.get(`/api/tickets/${net.id}`)).ticket.rev

    // The desk sets the appointment; 刘工, offline with the ticket as he saw
    // it, agrees another time with the customer.
    const deskAt = new Date(Date.now() + 3 * 3600_000).toISOString()
    await deskApi.post(`/api/tickets/${net.id}/appointment`, { at: deskAt, method: 'phone', note: '客服约定', baseRev: seen })
    const res = await phone.push(
      [['ticket.callAhead', { id: net.id, callId: uuid7(), calledAt: new Date().toISOString(), method: 'wechat', appointmentAt: new Date(Date.now() + 5 * 3600_000).toISOString(), note: '微信约在下午', baseRev: seen }]],
      'conflict',
    )
    assert.ok(res.results[0].conflictId)

    // The board's 冲突 badge leads to the conflict: both values, with sides.
    await desk.page.getByTestId('conflicts-link').click()
    await desk.page.waitForURL('**/d/conflicts')
    const k = desk.page.getByTestId('conflict').filter({ hasText: '预约时间' })
    await k.waitFor()
    const text = (await k.innerText()).replace(/\s+/g, ' ')
    assert.match(text, /当前值 · 现场 .*微信 · 微信约在下午/)
    assert.match(text, /另一值 · 客服 .*电话 · 客服约定/)
    await shot(desk.page, 'desk-conflicts')
    await k.getByTestId('conflict-restore').click()
    await k.waitFor({ state: 'detached' })
    const after = (await deskApi.get(`/api/tickets/${net.id}`)).ticket
    assert.equal(after.appointment.note, '客服约定')
    assert.equal(Date.parse(after.appointment.at), Date.parse(deskAt))
    assert.deepEqual(desk.errors, [])
    await tech.context.close()
    await desk.context.close()
  })

  it('month end: the statistics of every technician, published again as a new version with its note', async () => {
    const desk = await newPage(browser, server.url, DESK)
    await login(desk.page, 'chen', 'demo123')
    await desk.page.waitForURL('**/d/dispatch')
    await desk.page.getByRole('menuitem', { name: '统计' }).click()
    await desk.page.waitForURL('**/d/stats')
    const table = desk.page.getByTestId('stats-table')
    // 王工: 很满意 5 + 一般 2 (the reopened visit); 张工: 满意 3.
    await table.locator('.el-table__row', { hasText: '王工' }).filter({ hasText: '+7' }).waitFor()
    assert.match((await table.locator('.el-table__row', { hasText: '张工' }).innerText()).replace(/\s+/g, ' '), /张工 1 \+3 3\.00 0 1 0 0 0/)
    assert.equal(await desk.page.getByTestId('kpi-total').innerText(), '+10')

    await desk.page.getByTestId('stats-publish').click()
    const box = desk.page.locator('.el-message-box')
    await box.getByText(/第 2 版/).waitFor()
    await box.locator('input').fill('补录回访')
    await box.getByRole('button', { name: '发布' }).click()
    await desk.page.locator('.el-message').filter({ hasText: '第 2 版（补录回访）' }).first().waitFor()
    await desk.page.waitForFunction(() => /version=2$/.test(document.querySelector('[data-testid="stats-export"]')?.getAttribute('href') ?? ''))
    assert.match((await desk.page.getByTestId('stats-export').getAttribute('href')) ?? '', /version=2$/)
    const month = (await desk.page.getByTestId('stats-export').getAttribute('href'))?.match(/month=([\d-]+)/)?.[1]
    const published = await apiOf(desk.context).get(`/api/stats/published?month=${month}`)
    assert.deepEqual(
      published.items.map((/** @type {{ version: number }} */ v) => v.version).sort(),
      [1, 2],
    )
    await desk.page.locator('canvas').first().waitFor()
    await desk.page.waitForTimeout(600)
    await shot(desk.page, 'desk-stats')
    assert.deepEqual(desk.errors, [])
    await desk.context.close()
  })
})
