// @vitest-environment node
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FieldDb } from '@/db/schema'
import { KEEP_UPLOADED_MS, pruneFiles } from './files'
import { ticket } from './test/fakeServer'

let db: FieldDb
let name: string
let n = 0

beforeEach(() => {
  name = `files-test-${++n}-${Date.now()}`
  db = new FieldDb(name)
})

afterEach(async () => {
  db.close()
  await new FieldDb(name).delete()
})

const now = new Date('2026-11-25T12:00:00Z')
const old = new Date(now.getTime() - KEEP_UPLOADED_MS - 60_000).toISOString()
const fresh = new Date(now.getTime() - 3600_000).toISOString()

function file(hash: string, uploaded: 0 | 1, created: string) {
  return { hash, blob: new Blob(['jpeg ' + hash]), type: 'image/jpeg', size: 10, uploaded, created }
}

describe('pruneFiles', () => {
  it('drops uploaded files nothing here needs, and keeps the rest', async () => {
    await db.files.bulkPut([
      file('not-uploaded', 0, old),
      file('queued', 1, old),
      file('shown-fresh', 1, fresh),
      file('shown-old', 1, old),
      file('signature', 1, fresh),
      file('orphan', 1, fresh),
    ])
    await db.tickets.put(
      ticket({
        id: 't1',
        photos: [
          { id: 'p1', hash: 'shown-fresh', caption: '', by: 'u1', at: fresh },
          { id: 'p2', hash: 'shown-old', caption: '', by: 'u1', at: old },
        ],
        signature: { imageHash: 'signature', contentHash: 'c', signerName: '陈经理', at: fresh, by: 'u1' },
      } as never),
    )
    await db.outbox.add({
      mid: 1,
      name: 'ticket.addPhoto',
      args: { id: 't2', photoId: 'p3', hash: 'queued' },
      deviceTime: fresh,
      status: 'pending',
      records: ['tickets/t2'],
      files: ['queued'],
    })
    expect(await pruneFiles(db, now)).toBe(2)
    expect((await db.files.toCollection().primaryKeys()).sort()).toEqual(
      ['not-uploaded', 'queued', 'shown-fresh', 'signature'].sort(),
    )
  })

  it('does nothing when no file was uploaded', async () => {
    await db.files.put(file('a', 0, old))
    expect(await pruneFiles(db, now)).toBe(0)
    expect(await db.files.count()).toBe(1)
  })
})
