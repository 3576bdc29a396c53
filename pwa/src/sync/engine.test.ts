// @vitest-environment node
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FieldDb, getMeta } from '@/db/schema'
import { updatesAllowed } from '@/composables/updateGate'
import { backoffDelay, SyncEngine } from './engine'
import { clientIdOf, enqueue, pendingEntries } from './outbox'
import { FakeServer, ticket } from './test/fakeServer'
import { uuidv7 } from './uuid'

let db: FieldDb
let name: string
let n = 0
let server: FakeServer
let engine: SyncEngine

const user = { id: 'u1', login: 'wang' }

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(new Date('2026-11-25T02:00:00Z'))
  name = `engine-test-${++n}`
  db = new FieldDb(name)
  server = new FakeServer()
  server.put('tickets', 't1', ticket({ id: 't1', state: 'on_site' }))
  engine = new SyncEngine({ db, api: server.api, user, win: null, doc: null, random: () => 0.5 })
})

afterEach(async () => {
  engine.stop()
  vi.useRealTimers()
  db.close()
  await new FieldDb(name).delete()
})

/** Starts the engine and waits for its first pass. */
async function started(): Promise<void> {
  await engine.start()
  await vi.advanceTimersByTimeAsync(0)
  await engine.idle()
}

async function queueWork(count: number): Promise<void> {
  const changes = Array.from({ length: count }, (_, i) => ({
    name: 'ticket.addWork' as const,
    args: { id: 't1', workId: uuidv7(), text: `处理记录 ${i + 1}` },
  }))
  await enqueue(db, { userId: user.id }, changes)
}

describe('sync engine', () => {
  it('pulls on start, pushes local writes, and reports the numbers', async () => {
    await started()
    expect((await db.tickets.get('t1'))?.state).toBe('on_site')
    expect(engine.status.lastSync).toBe('2026-11-25T02:00:00.000Z')
    expect(await getMeta(db, 'lastSync', null)).toBe('2026-11-25T02:00:00.000Z')

    await queueWork(3)
    await vi.waitFor(() => expect(engine.status.pending).toBe(3))
    expect(updatesAllowed.value).toBe(false)

    engine.afterWrite()
    await vi.advanceTimersByTimeAsync(1000)
    await engine.idle()
    expect(server.processed.map((m) => m.id)).toEqual([1, 2, 3])
    await vi.waitFor(() => expect(engine.status.pending).toBe(0))
    expect(engine.status.issues).toBe(0)
    expect(engine.status.error).toBeNull()
    expect(updatesAllowed.value).toBe(true)
  })

  it('shows progress while pushing: 同步中 done/total', async () => {
    await started()
    await queueWork(250)
    const seen: string[] = []
    const push = server.api.push
    server.api.push = async (body) => {
      const p = engine.status.progress
      seen.push(`${engine.status.phase} ${p?.done}/${p?.total}`)
      return push(body)
    }
    await engine.syncNow()
    expect(seen).toEqual(['pushing 0/250', 'pushing 100/250', 'pushing 200/250'])
    expect(server.pushes.map((p) => p.mutations.length)).toEqual([100, 100, 50])
    expect(engine.status.progress).toBeNull()
    expect(engine.status.phase).toBe('idle')
  })

  it('runs one pass at a time', async () => {
    await started()
    await queueWork(2)
    let inFlight = 0
    let most = 0
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const pull = server.api.pull
    server.api.pull = async (body) => {
      most = Math.max(most, ++inFlight)
      await gate
      inFlight--
      return pull(body)
    }
    const a = engine.syncNow()
    const b = engine.syncNow()
    const c = engine.syncNow()
    await vi.waitFor(() => expect(inFlight).toBe(1))
    release()
    await Promise.all([a, b, c])
    await engine.idle()
    expect(most).toBe(1)
    // The requests made during the pass are served by one more pass.
    expect(server.calls.filter((x) => x === 'pull')).toHaveLength(3)
    expect(server.processed).toHaveLength(2)
  })

  it('retries network errors with exponential backoff, keeping the outbox', async () => {
    await started()
    await queueWork(2)
    server.failures.push.push({ kind: 'network' }, { kind: 'network' }, { kind: 'status', status: 503 })
    await engine.syncNow()
    expect(engine.status.error?.kind).toBe('network')
    expect(engine.status.retryAt).toBe(Date.now() + 2000)
    expect(await db.outbox.count()).toBe(2)

    await vi.advanceTimersByTimeAsync(1999)
    expect(server.calls.filter((c) => c === 'push')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    await engine.idle()
    expect(server.calls.filter((c) => c === 'push')).toHaveLength(2)
    expect(engine.status.retryAt).toBe(Date.now() + 4000)

    await vi.advanceTimersByTimeAsync(4000)
    await engine.idle()
    expect(engine.status.error?.kind).toBe('server')
    expect(engine.status.retryAt).toBe(Date.now() + 8000)

    // A local write during the backoff does not hammer the server.
    engine.afterWrite()
    await vi.advanceTimersByTimeAsync(1000)
    expect(server.calls.filter((c) => c === 'push')).toHaveLength(3)

    await vi.advanceTimersByTimeAsync(7000)
    await engine.idle()
    expect(engine.status.error).toBeNull()
    expect(engine.status.retryAt).toBeNull()
    expect(server.processed.map((m) => m.id)).toEqual([1, 2])
    expect(await db.outbox.count()).toBe(0)
  })

  it('backs off up to five minutes', () => {
    expect([1, 2, 3, 4, 10, 20].map((k) => backoffDelay(k, () => 0.5))).toEqual([2000, 4000, 8000, 16000, 300000, 300000])
    expect(backoffDelay(1, () => 0)).toBe(1600)
    expect(backoffDelay(1, () => 1)).toBe(2400)
  })

  it('on 401 keeps the outbox and waits for the password, then replays', async () => {
    await started()
    await queueWork(2)
    server.loggedOut = true
    await engine.syncNow()
    expect(engine.status.needsLogin).toBe(true)
    expect(engine.status.error?.kind).toBe('auth')
    expect(await db.outbox.count()).toBe(2)

    // Nothing runs by itself while the session is over.
    const calls = server.calls.length
    engine.afterWrite()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(server.calls.length).toBe(calls)

    await expect(engine.relogin('wrong')).rejects.toMatchObject({ status: 401 })
    expect(engine.status.needsLogin).toBe(true)
    await engine.relogin('demo123')
    expect(engine.status.needsLogin).toBe(false)
    expect(server.processed.map((m) => m.id)).toEqual([1, 2])
    expect(await db.outbox.count()).toBe(0)
  })

  it('on 403 csrf refreshes the token and retries once', async () => {
    await started()
    await queueWork(1)
    server.failures.push.push({ kind: 'status', status: 403, code: 'csrf' })
    await engine.syncNow()
    expect(server.calls.slice(-4)).toEqual(['push', 'me', 'push', 'pull'])
    expect(server.processed).toHaveLength(1)
    expect(engine.status.error).toBeNull()
  })

  it('on 413 splits the batch in halves and sends them in order', async () => {
    await started()
    await queueWork(10)
    server.maxBatch = 3
    await engine.syncNow()
    expect(server.processed.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(server.pushes.map((p) => p.mutations.map((m) => m.id))).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7, 8],
      [9, 10],
    ])
    expect(await db.outbox.count()).toBe(0)
  })

  it('records conflicts and rejections for display and never retries them', async () => {
    await started()
    await queueWork(3)
    server.outcome = (m) => {
      const text = (m.args as { text?: string }).text
      return text === '处理记录 1' ? 'conflict' : text === '处理记录 2' ? 'rejected' : 'applied'
    }
    await engine.syncNow()
    const issues = await db.issues.toArray()
    expect(issues.map((i) => [i.mid, i.kind, i.reason, i.ticketId])).toEqual([
      [1, 'conflict', 'field_changed', 't1'],
      [2, 'rejected', 'invalid', 't1'],
    ])
    expect(issues[1]?.message).toBe('输入有误')
    expect(await db.outbox.count()).toBe(0)
    await vi.waitFor(() => expect(engine.status.issues).toBe(2))

    const pushes = server.pushes.length
    await engine.syncNow()
    expect(server.pushes.length).toBe(pushes)
  })

  it('uploads files before the mutations that name them, once', async () => {
    await started()
    const blob = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' })
    const buf = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
    const hash = Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('')
    await enqueue(db, { userId: user.id }, [{ name: 'ticket.addPhoto', args: { id: 't1', photoId: uuidv7(), hash } }], [
      { hash, blob, type: 'image/png', size: blob.size },
    ])
    await vi.waitFor(() => expect(engine.status.files).toBe(1))
    server.failures.push.push({ kind: 'network' })
    await engine.syncNow()
    expect(server.uploads).toHaveLength(1)
    expect((await db.files.get(hash))?.uploaded).toBe(1)
    await engine.syncNow()
    expect(server.uploads).toHaveLength(1)
    expect(server.calls.indexOf('upload')).toBeLessThan(server.calls.lastIndexOf('push'))
    expect(server.processed.map((m) => m.name)).toEqual(['ticket.addPhoto'])
    await vi.waitFor(() => expect(engine.status.files).toBe(0))
  })

  it('numbers on when the server lost its record of this client (restored backup)', async () => {
    await started()
    await queueWork(2)
    server.lastMutation.set(await clientIdOf(db), 0)
    await db.outbox.where('mid').equals(1).delete() // as if 1 had been acknowledged before the restore
    await engine.syncNow()
    expect(server.processed.map((m) => [m.id, (m.args as { text: string }).text])).toEqual([[1, '处理记录 2']])
    expect(await pendingEntries(db)).toEqual([])
  })

  it('syncs on the interval, on online and when the page becomes visible', async () => {
    const win = new EventTarget() as unknown as Window
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' }) as unknown as Document
    engine = new SyncEngine({ db, api: server.api, user, win, doc, random: () => 0.5 })
    await started()
    const pulls = () => server.calls.filter((c) => c === 'pull').length
    expect(pulls()).toBe(1)
    await vi.advanceTimersByTimeAsync(60_000)
    await vi.advanceTimersByTimeAsync(1)
    await engine.idle()
    expect(pulls()).toBe(2)
    win.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    await engine.idle()
    expect(pulls()).toBe(3)
    doc.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(0)
    await engine.idle()
    expect(pulls()).toBe(4)
  })

  it('wipes the device when the server holds its pushes (user disabled or device revoked)', async () => {
    await started()
    await queueWork(2)
    server.api.push = async (body) => ({
      lastMutationId: body.mutations[body.mutations.length - 1]!.id,
      quarantined: body.mutations.length,
      wipe: true,
    }) as unknown as Awaited<ReturnType<typeof server.api.push>>
    engine.afterWrite()
    await vi.advanceTimersByTimeAsync(1000)
    await engine.idle()
    expect(engine.status.error?.kind).toBe('revoked')
    expect(engine.status.error?.message).toContain('本机数据已清除')
    const reopened = new FieldDb(name)
    expect(await reopened.tickets.count()).toBe(0)
    expect(await reopened.outbox.count()).toBe(0)
    reopened.close()
  })
})
