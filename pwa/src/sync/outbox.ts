// The outbox: every local change is a mutation queued here, written in ONE
// Dexie transaction with its local effect (STYLE.md, the PWA, rule 2), and
// numbered 1, 2, 3 … per client id. It survives reloads and restarts and
// empties only as the server acknowledges what it processed.
import type { FieldDb, FileEntry, OutboxEntry } from '@/db/schema'
import { getMeta, setMeta } from '@/db/schema'
import { applyMutation, RecordCache, type ApplyContext } from './apply'
import { filesOf, type Mutation, type MutationArgs, type MutationName } from './mutations'
import { uuidv7 } from './uuid'

/** The tables a local write or a rebase may touch. */
export function writeTables(db: FieldDb) {
  return [db.outbox, db.meta, db.files, db.tickets, db.checklists, db.equipment, db.templates]
}

/** The client id of this device and login, made once and kept. */
export async function clientIdOf(db: FieldDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const id = await getMeta<string | null>(db, 'clientId', null)
    if (id) return id
    const made = `pwa-${uuidv7()}`
    await setMeta(db, 'clientId', made)
    return made
  })
}

export interface LocalChange<N extends MutationName = MutationName> {
  name: N
  args: MutationArgs[N]
  /** "collection/id" of the records it changes besides the obvious ones. */
  records?: string[]
}

/** Files to store with the change (photos, signatures), by hash. */
export type NewFile = Pick<FileEntry, 'hash' | 'blob' | 'type' | 'size'>

function recordsOf(m: Mutation, extra: string[] = []): string[] {
  const a = m.args as { id: string; ticketId?: string; equipmentId?: string }
  const out = new Set(extra)
  if (m.name.startsWith('ticket.')) out.add(`tickets/${a.id}`)
  if (m.name.startsWith('checklist.')) out.add(`checklists/${a.id}`)
  if (a.ticketId) out.add(`tickets/${a.ticketId}`)
  if (a.equipmentId) out.add(`equipment/${a.equipmentId}`)
  return [...out]
}

/**
 * Records changes locally and queues them, all in one transaction: either
 * the local effect and its outbox entries are both stored, or neither.
 * Returns the mutation ids given.
 */
export async function enqueue(
  db: FieldDb,
  ctx: Omit<ApplyContext, 'clientId'>,
  changes: LocalChange[],
  files: NewFile[] = [],
  now: () => Date = () => new Date(),
): Promise<number[]> {
  return db.transaction('rw', writeTables(db), async () => {
    const clientId = await getMeta<string | null>(db, 'clientId', null)
    if (!clientId) throw new Error('outbox: no client id yet')
    const created = now().toISOString()
    for (const f of files) {
      const have = await db.files.get(f.hash)
      if (!have) await db.files.put({ ...f, uploaded: 0, created })
    }
    const last = Math.max(
      await getMeta<number>(db, 'lastMutationId', 0),
      await getMeta<number>(db, 'ackedMutationId', 0),
    )
    const cache = new RecordCache(db)
    const ids: number[] = []
    let mid = last
    for (const c of changes) {
      mid += 1
      const m: Mutation = { name: c.name, args: c.args, deviceTime: now().toISOString() }
      const entry: OutboxEntry = {
        mid,
        name: m.name,
        args: m.args as unknown as Record<string, unknown>,
        deviceTime: m.deviceTime,
        status: 'pending',
        records: recordsOf(m, c.records),
        files: filesOf(m),
      }
      await db.outbox.add(entry)
      await applyMutation(cache, m, { ...ctx, clientId })
      ids.push(mid)
    }
    await setMeta(db, 'lastMutationId', mid)
    await cache.flush()
    return ids
  })
}

/** The queued mutations, oldest first. */
export function pendingEntries(db: FieldDb, limit?: number): Promise<OutboxEntry[]> {
  const q = db.outbox.orderBy('seq')
  return limit ? q.limit(limit).toArray() : q.toArray()
}

export function asMutation(e: OutboxEntry): Mutation {
  return { name: e.name, args: e.args as unknown as Mutation['args'], deviceTime: e.deviceTime }
}

/**
 * Drops what the server processed (every id at or below last) and notes
 * how far it got. Call inside a transaction over outbox and meta.
 */
export async function acknowledge(db: FieldDb, last: number): Promise<number> {
  const acked = await getMeta<number>(db, 'ackedMutationId', 0)
  if (last > acked) await setMeta(db, 'ackedMutationId', last)
  return db.outbox.where('mid').belowOrEqual(last).delete()
}

/**
 * Replays the still-pending mutations over the records as they are now
 * (after a pull stored the server's versions): the server is authoritative,
 * local work shows on top. Call inside a transaction over writeTables().
 */
export async function rebase(db: FieldDb, ctx: ApplyContext): Promise<number> {
  const cache = new RecordCache(db)
  const pending = await pendingEntries(db)
  for (const e of pending) await applyMutation(cache, asMutation(e), ctx)
  await cache.flush()
  return pending.length
}

/** Whether a mutation waiting in the outbox changes the record. */
export async function hasPendingFor(db: FieldDb, collection: string, id: string): Promise<boolean> {
  return (await db.outbox.where('records').equals(`${collection}/${id}`).count()) > 0
}
