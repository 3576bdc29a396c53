// @vitest-environment node
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PullResponse } from '@/api/field'
import { FieldDb, getMeta } from '@/db/schema'
import { clientIdOf, enqueue, pendingEntries } from './outbox'
import { storePull } from './pull'
import { ticket } from './test/fakeServer'
import { uuidv7 } from './uuid'

let db: FieldDb
let name: string
let n = 0
let ctx: { userId: string; clientId: string }

beforeEach(async () => {
  name = `pull-test-${++n}-${Date.now()}`
  db = new FieldDb(name)
  ctx = { userId: 'u1', clientId: await clientIdOf(db) }
})

afterEach(async () => {
  db.close()
  await new FieldDb(name).delete()
})

function answer(over: Partial<PullResponse>): PullResponse {
  return { cursor: '10', lastMutationId: 0, reset: false, more: false, changes: [], ...over }
}

const put = (collection: string, data: { id: string; [k: string]: unknown }) => ({ version: 5, collection, id: data.id, op: 'put' as const, data })

describe('pull', () => {
  it('stores the records and the cursor', async () => {
    await storePull(
      db,
      answer({
        reset: true,
        cursor: '16',
        changes: [
          put('tickets', ticket({ id: 't1' })),
          put('customers', { id: 'c1', name: '华强物业', kind: 'company' }),
          put('jobs', { id: 'j1' }),
          { version: 5, collection: 'settings', id: 'company', op: 'put', data: { name: '华信弱电' } },
        ],
      }),
      ctx,
    )
    expect((await db.tickets.get('t1'))?.number).toBe('LL-2026-t1')
    expect((await db.customers.get('c1'))?.name).toBe('华强物业')
    expect((await db.other.get('jobs/j1'))?.data).toEqual({ id: 'j1' })
    expect(await db.settings.get('company')).toEqual({ id: 'company', name: '华信弱电' })
    expect(await getMeta(db, 'cursor', '')).toBe('16')
  })

  it('replays still-pending mutations over the server’s rows (rebase)', async () => {
    await db.tickets.put(ticket({ id: 't1', state: 'assigned', rev: 2 }))
    const workId = uuidv7()
    await enqueue(db, ctx, [
      { name: 'ticket.accept', args: { id: 't1', baseRev: 2 } },
      { name: 'ticket.addWork', args: { id: 't1', workId, text: '更换后备电池' } },
    ])
    expect((await db.tickets.get('t1'))?.state).toBe('accepted')

    // The server applied the accept (mutation 1) but not yet the work; the
    // desk changed the planned date meanwhile.
    const server = ticket({ id: 't1', state: 'accepted', rev: 4, plannedDate: '2026-11-27' })
    await storePull(db, answer({ lastMutationId: 1, changes: [put('tickets', server)] }), ctx)

    const t = await db.tickets.get('t1')
    expect(t).toMatchObject({ state: 'accepted', rev: 4, plannedDate: '2026-11-27' })
    expect(t?.work.map((w) => [w.id, w.text])).toEqual([[workId, '更换后备电池']])
    expect((await pendingEntries(db)).map((e) => e.name)).toEqual(['ticket.addWork'])
    expect(await getMeta(db, 'ackedMutationId', 0)).toBe(1)
  })

  it('rebase is idempotent: a record not in the pull keeps its local changes once', async () => {
    await db.tickets.put(ticket({ id: 't1', state: 'on_site' }))
    await enqueue(db, ctx, [{ name: 'ticket.addPart', args: { id: 't1', partId: uuidv7(), name: '后备电池', model: '12V 7Ah', qty: 1 } }])
    await storePull(db, answer({}), ctx)
    await storePull(db, answer({}), ctx)
    expect((await db.tickets.get('t1'))?.parts.map((p) => p.name)).toEqual(['后备电池'])
  })

  it('drops an evicted record when nothing for it waits', async () => {
    await db.tickets.put(ticket({ id: 't1' }))
    await storePull(db, answer({ changes: [{ version: 9, collection: 'tickets', id: 't1', op: 'evict' }] }), ctx)
    expect(await db.tickets.get('t1')).toBeUndefined()
  })

  it('keeps an evicted record while its mutations wait, and drops it once they are pushed', async () => {
    await db.tickets.put(ticket({ id: 't1', state: 'on_site' }))
    await enqueue(db, ctx, [{ name: 'ticket.addWork', args: { id: 't1', workId: uuidv7(), text: '已处理' } }])
    await storePull(db, answer({ changes: [{ version: 9, collection: 'tickets', id: 't1', op: 'evict' }] }), ctx)
    expect((await db.tickets.get('t1'))?.work).toHaveLength(1)
    expect(await getMeta(db, 'evicted', [])).toEqual(['tickets/t1'])

    // The work reached the server (lastMutationId 1): nothing waits, it goes.
    await storePull(db, answer({ lastMutationId: 1, cursor: '11' }), ctx)
    expect(await db.tickets.get('t1')).toBeUndefined()
    expect(await getMeta(db, 'evicted', ['x'])).toEqual([])
  })

  it('a delete drops the record', async () => {
    await db.contacts.put({ id: 'p1', customerId: 'c1', siteIds: [], name: '陈经理', phones: ['13802561234'] })
    await storePull(db, answer({ changes: [{ version: 9, collection: 'contacts', id: 'p1', op: 'delete' }] }), ctx)
    expect(await db.contacts.get('p1')).toBeUndefined()
  })

  it('reset drops every pulled record but keeps the outbox, and rebases on the new snapshot', async () => {
    await db.tickets.put(ticket({ id: 't1', state: 'on_site' }))
    await db.tickets.put(ticket({ id: 'gone' }))
    await db.customers.put({ id: 'c-old', name: '旧客户', kind: 'company' })
    await enqueue(db, ctx, [{ name: 'ticket.addWork', args: { id: 't1', workId: uuidv7(), text: '测试防区' } }])
    const clientId = ctx.clientId

    await storePull(db, answer({ reset: true, cursor: '500', changes: [put('tickets', ticket({ id: 't1', state: 'on_site', rev: 9 }))] }), ctx)

    expect(await db.tickets.get('gone')).toBeUndefined()
    expect(await db.customers.get('c-old')).toBeUndefined()
    expect(await db.outbox.count()).toBe(1)
    expect(await clientIdOf(db)).toBe(clientId)
    const t = await db.tickets.get('t1')
    expect(t?.rev).toBe(9)
    expect(t?.work.map((w) => w.text)).toEqual(['测试防区'])
  })
})
