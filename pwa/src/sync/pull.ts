// Pull: the changes in this technician's scope since the cursor, stored with
// the new cursor in one transaction — and never over queued edits: after the
// server's rows are stored, the still-pending mutations are replayed on top
// (server-authoritative rebase).
import type { PullChange, PullResponse, SyncApi } from '@/api/field'
import { PULLED_TABLES, getMeta, setMeta, type FieldDb, type PulledTable } from '@/db/schema'
import type { ApplyContext } from './apply'
import { acknowledge, hasPendingFor, rebase, writeTables } from './outbox'

/** The most changes one answer carries (the server's maximum). */
export const PULL_LIMIT = 2000

function isPulledTable(c: string): c is PulledTable {
  return (PULLED_TABLES as readonly string[]).includes(c)
}

function pullTables(db: FieldDb) {
  return [...new Set([...PULLED_TABLES.map((t) => db[t]), db.other, ...writeTables(db)])]
}

async function putRecord(db: FieldDb, c: PullChange): Promise<void> {
  if (isPulledTable(c.collection)) {
    // Some records (the company settings) carry no id of their own: the
    // change's id is their key.
    const data = c.data && typeof c.data === 'object' && !('id' in c.data) ? { ...c.data, id: c.id } : c.data
    await (db[c.collection] as unknown as { put(v: unknown): Promise<unknown> }).put(data)
  } else {
    await db.other.put({ key: `${c.collection}/${c.id}`, collection: c.collection, id: c.id, data: c.data })
  }
}

async function dropRecord(db: FieldDb, collection: string, id: string): Promise<void> {
  if (isPulledTable(collection)) await db[collection].delete(id)
  else await db.other.delete(`${collection}/${id}`)
}

/**
 * Stores one pull answer: reset, puts, deletes and evictions, the cursor,
 * the acknowledged mutations, then the rebase — one transaction.
 */
export async function storePull(db: FieldDb, resp: PullResponse, ctx: ApplyContext): Promise<void> {
  await db.transaction('rw', pullTables(db), async () => {
    let evicted = new Set(await getMeta<string[]>(db, 'evicted', []))
    if (resp.reset) {
      // Keep the outbox, the files and the metadata; the changes are the whole scope.
      await Promise.all([...PULLED_TABLES.map((t) => db[t].clear()), db.other.clear()])
      evicted = new Set()
    }
    for (const c of resp.changes) {
      const key = `${c.collection}/${c.id}`
      if (c.op === 'put' && c.data !== undefined) {
        await putRecord(db, c)
        evicted.delete(key)
      } else if (c.op === 'delete') {
        await dropRecord(db, c.collection, c.id)
      } else if (c.op === 'evict') {
        // Left our scope: drop it once nothing for it waits to be pushed.
        if (await hasPendingFor(db, c.collection, c.id)) evicted.add(key)
        else await dropRecord(db, c.collection, c.id)
      }
    }
    await acknowledge(db, resp.lastMutationId)
    await sweepEvicted(db, evicted)
    await setMeta(db, 'cursor', resp.cursor)
    await rebase(db, ctx)
  })
}

/** Drops evicted records kept for their queued mutations once those are gone. */
async function sweepEvicted(db: FieldDb, evicted: Set<string>): Promise<void> {
  for (const key of [...evicted]) {
    const slash = key.indexOf('/')
    const collection = key.slice(0, slash)
    const id = key.slice(slash + 1)
    if (!(await hasPendingFor(db, collection, id))) {
      await dropRecord(db, collection, id)
      evicted.delete(key)
    }
  }
  await setMeta(db, 'evicted', [...evicted])
}

/** Pulls until the server says there is no more. Returns the number of changes. */
export async function pullAll(
  db: FieldDb,
  api: Pick<SyncApi, 'pull'>,
  ctx: ApplyContext,
  onPage?: (changes: number) => void,
): Promise<number> {
  let total = 0
  for (let page = 0; page < 1000; page++) {
    const cursor = await getMeta<string>(db, 'cursor', '')
    const resp = await api.pull({ clientId: ctx.clientId, cursor, limit: PULL_LIMIT })
    await storePull(db, resp, ctx)
    total += resp.changes.length
    onPage?.(total)
    if (!resp.more) break
  }
  return total
}
