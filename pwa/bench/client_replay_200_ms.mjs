// bench: client_replay_200_ms — 200 mutations queued on the phone while it
// is offline; the network comes back (the server is already up again): how
// long until the server has applied all 200 and the phone's outbox is empty.
// The 200 entries are written into the app's own outbox in IndexedDB, in
// the shape the app writes them (db/schema.ts), as if made one by one.
import { randomBytes } from 'node:crypto'
import { launch } from '../e2e/browser.mjs'
import { launchPhone, report, signedInTechnician, startServer, tempProfile, waitSynced } from './lib.mjs'

const N = 200

/** A UUIDv7 (the server wants one for every work record). @param {number} ms */
function uuidv7(ms) {
  const b = randomBytes(16)
  b.writeUIntBE(ms, 0, 6)
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f)
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f)
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const server = await startServer()
const profile = await tempProfile()
const phone = await launchPhone(profile.dir, server.url)
try {
  const page = await signedInTechnician(phone)
  const me = await page.evaluate(() => JSON.parse(localStorage.getItem('elvcare.me') ?? '{}'))
  const ticketId = await page.getByTestId('ticket-card').first().evaluate(async () => {
    const a = document.querySelector('[data-testid="ticket-card"]')
    return a?.getAttribute('href')?.split('/').pop() ?? ''
  })

  // The basement: no network, the server down.
  await phone.setOffline(true)
  await server.stop({ keepData: true })

  const now = Date.now()
  const entries = Array.from({ length: N }, (_, i) => ({
    name: 'ticket.addWork',
    args: { id: ticketId, workId: uuidv7(now + i), text: `巡检记录 ${i + 1}：防区 ${(i % 12) + 1} 测试正常` },
    deviceTime: new Date(now + i).toISOString(),
    status: 'pending',
    records: [`tickets/${ticketId}`],
    files: [],
  }))
  await page.evaluate(
    async ({ dbName, entries }) => {
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open(dbName)
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
      const idb = /** @type {IDBDatabase} */ (db)
      await new Promise((resolve, reject) => {
        const tx = idb.transaction(['outbox', 'meta'], 'readwrite')
        const meta = tx.objectStore('meta')
        const get = meta.get('lastMutationId')
        get.onsuccess = () => {
          let mid = Number(get.result?.value ?? 0)
          for (const e of entries) tx.objectStore('outbox').add({ ...e, mid: ++mid })
          meta.put({ key: 'lastMutationId', value: mid })
        }
        tx.oncomplete = resolve
        tx.onerror = () => reject(tx.error)
      })
      idb.close()
    },
    { dbName: `elvcare-field-${me.id}`, entries },
  )

  // The app, opened again offline, shows what waits.
  await page.reload()
  await page.locator(`[data-testid="sync-bar"][data-pending="${N}"]`).waitFor()

  // The server is back; then the signal.
  const back = await startServer({ port: server.port, dataDir: server.dataDir })
  const t0 = performance.now()
  await phone.setOffline(false)
  await waitSynced(page)
  const ms = performance.now() - t0

  // Check the server really has them.
  const browser = await launch()
  const desk = await browser.newContext({ baseURL: back.url })
  await desk.request.post('/api/auth/login', { data: { login: 'chen', password: 'demo123' } })
  const detail = await (await desk.request.get(`/api/tickets/${ticketId}`)).json()
  await browser.close()
  const applied = detail.ticket.work.filter((/** @type {{ text: string }} */ w) => w.text.startsWith('巡检记录')).length
  if (applied !== N) throw new Error(`the server applied ${applied} of ${N}`)
  await phone.close()
  await back.stop()
  report('client_replay_200_ms', ms, 'ms')
} catch (e) {
  await phone.close().catch(() => {})
  await server.stop().catch(() => {})
  throw e
} finally {
  await profile.remove()
}
