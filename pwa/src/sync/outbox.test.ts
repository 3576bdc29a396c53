// @vitest-environment node
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FieldDb, getMeta, setMeta } from '@/db/schema'
import { clientIdOf, enqueue, pendingEntries } from './outbox'
import { ticket } from './test/fakeServer'
import { isUuidv7, uuidv7 } from './uuid'

let db: FieldDb
let name: string
let n = 0

beforeEach(async () => {
  name = `outbox-test-${++n}-${Date.now()}`
  db = new FieldDb(name)
  await clientIdOf(db)
  await db.tickets.put(ticket({ id: 't1' }))
})

afterEach(async () => {
  db.close()
  await new FieldDb(name).delete()
})

const work = (text: string) => ({ name: 'ticket.addWork' as const, args: { id: 't1', workId: uuidv7(), text } })

describe('outbox', () => {
  it('stores the local effect and the queued mutation together', async () => {
    await enqueue(db, { userId: 'u1' }, [work('更换后备电池')])
    const t = await db.tickets.get('t1')
    expect(t?.work.map((w) => w.text)).toEqual(['更换后备电池'])
    const [e] = await pendingEntries(db)
    expect(e).toMatchObject({ mid: 1, name: 'ticket.addWork', status: 'pending', records: ['tickets/t1'] })
    expect(e?.args).toMatchObject({ id: 't1', text: '更换后备电池' })
  })

  it('writes nothing when any part of the change fails', async () => {
    const bad = { name: 'ticket.addWork' as const, args: { id: 't1', workId: uuidv7() } as never }
    await expect(enqueue(db, { userId: 'u1' }, [work('第一条'), bad])).rejects.toThrow()
    expect((await db.tickets.get('t1'))?.work).toEqual([])
    expect(await db.outbox.count()).toBe(0)
    expect(await getMeta(db, 'lastMutationId', 0)).toBe(0)
  })

  it('numbers mutations 1, 2, 3 … and keeps counting after the database is reopened', async () => {
    expect(await enqueue(db, { userId: 'u1' }, [work('a'), work('b')])).toEqual([1, 2])
    expect(await enqueue(db, { userId: 'u1' }, [work('c')])).toEqual([3])
    const clientId = await clientIdOf(db)
    db.close()

    db = new FieldDb(name)
    expect(await clientIdOf(db)).toBe(clientId)
    expect((await pendingEntries(db)).map((e) => [e.mid, (e.args as { text: string }).text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ])
    expect(await enqueue(db, { userId: 'u1' }, [work('d')])).toEqual([4])
    expect((await db.tickets.get('t1'))?.work.map((w) => w.text)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('never reuses a number the server has acknowledged', async () => {
    await setMeta(db, 'ackedMutationId', 41)
    expect(await enqueue(db, { userId: 'u1' }, [work('x')])).toEqual([42])
  })

  it('makes one client id per database, in the protocol’s alphabet', async () => {
    const id = await clientIdOf(db)
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
    expect(await clientIdOf(db)).toBe(id)
  })

  it('records the files a mutation needs, stored with it', async () => {
    const blob = new Blob(['png'], { type: 'image/png' })
    const hash = 'a'.repeat(64)
    await enqueue(
      db,
      { userId: 'u1' },
      [{ name: 'ticket.addPhoto', args: { id: 't1', photoId: uuidv7(), hash } }],
      [{ hash, blob, type: 'image/png', size: 3 }],
    )
    const [e] = await pendingEntries(db)
    expect(e?.files).toEqual([hash])
    expect(await db.files.get(hash)).toMatchObject({ hash, uploaded: 0, type: 'image/png' })
    expect((await db.tickets.get('t1'))?.photos.map((p) => p.hash)).toEqual([hash])
  })
})

describe('uuidv7', () => {
  it('makes version 7 ids in creation order', () => {
    const ids = Array.from({ length: 50 }, () => uuidv7(1_760_000_000_000))
    expect(ids.every(isUuidv7)).toBe(true)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
