// Push: the outbox in order, in batches. The server processes each mutation
// exactly once; what it did not apply as sent (a conflict, a rejection) is
// recorded for the technician to see and never sent again.
import { isApiError } from '@/api/errors'
import { SCHEMA_VERSION, type PushMutation, type PushResponse, type SyncApi } from '@/api/field'
import { getMeta, setMeta, type FieldDb, type OutboxEntry } from '@/db/schema'
import { ticketOf } from './mutations'
import { acknowledge, asMutation, pendingEntries } from './outbox'

/** Mutations per push (the protocol allows 200). */
export const PUSH_BATCH = 100
/** Bytes per push before splitting ahead of the server's 2 MB limit. */
export const PUSH_BYTES = 1_500_000

/** A mutation the server can never take (too large even alone): sync stops before it. */
/**
 * The server held the batch in its quarantine: the user was disabled or
 * this device revoked. The device must wipe its local data.
 */
export class WipeError extends Error {
  constructor(readonly held: number) {
    super('此设备已停用，未同步的记录已交客户服务中心处理；本机数据已清除')
    this.name = 'WipeError'
  }
}

export class BlockedError extends Error {
  constructor(readonly mid: number) {
    super(`mutation ${mid} is too large to send`)
    this.name = 'BlockedError'
  }
}

function wire(e: OutboxEntry): PushMutation {
  return { id: e.mid, name: e.name, args: e.args, deviceTime: e.deviceTime }
}

/** Cuts entries into batches of at most PUSH_BATCH mutations and about PUSH_BYTES. */
export function batches(entries: OutboxEntry[], max = PUSH_BATCH, bytes = PUSH_BYTES): OutboxEntry[][] {
  const out: OutboxEntry[][] = []
  let cur: OutboxEntry[] = []
  let size = 0
  for (const e of entries) {
    const n = JSON.stringify(wire(e)).length
    if (cur.length && (cur.length >= max || size + n > bytes)) {
      out.push(cur)
      cur = []
      size = 0
    }
    cur.push(e)
    size += n
  }
  if (cur.length) out.push(cur)
  return out
}

/** Stores a push answer: issues for what did not apply, the acknowledgement. */
export async function storePush(db: FieldDb, sent: OutboxEntry[], resp: PushResponse): Promise<void> {
  await db.transaction('rw', [db.outbox, db.meta, db.issues], async () => {
    const at = new Date().toISOString()
    for (const r of resp.results) {
      if (r.status === 'applied') continue
      const e = sent.find((x) => x.mid === r.id) ?? (await db.outbox.where('mid').equals(r.id).first())
      if (!e) continue
      await db.issues.add({
        mid: r.id,
        name: e.name,
        kind: r.status,
        reason: r.status === 'conflict' ? (r.reason ?? '') : (r.error?.code ?? ''),
        conflictId: r.conflictId,
        message: r.error?.message,
        fields: r.error?.fields,
        args: e.args,
        ticketId: ticketOf(asMutation(e)),
        at,
      })
    }
    await acknowledge(db, resp.lastMutationId)
    const first = sent[0]
    if (resp.results.length === 0 && first && resp.lastMutationId < first.mid - 1) {
      // The server has no record of the mutations before these (it was
      // restored from a backup): number the queue on from where it is.
      let mid = resp.lastMutationId
      for (const e of await pendingEntries(db)) {
        mid += 1
        await db.outbox.update(e.seq!, { mid })
      }
      await setMeta(db, 'lastMutationId', mid)
      await setMeta(db, 'ackedMutationId', resp.lastMutationId)
    }
  })
}

async function markBlocked(db: FieldDb, e: OutboxEntry, message: string): Promise<void> {
  await db.outbox.update(e.seq!, { status: 'blocked', error: message })
}

/**
 * Sends one batch; a 413 halves it, and the halves go in order. Throws the
 * transport's error otherwise (network, 5xx, 401, …) for the engine to handle.
 */
async function pushBatch(
  db: FieldDb,
  api: Pick<SyncApi, 'push'>,
  clientId: string,
  entries: OutboxEntry[],
  onAcked: (n: number, resp: PushResponse) => void,
): Promise<void> {
  let resp: PushResponse
  try {
    resp = await api.push({
      clientId,
      schemaVersion: SCHEMA_VERSION,
      sentAt: new Date().toISOString(),
      mutations: entries.map(wire),
    })
  } catch (e) {
    if (isApiError(e) && e.status === 413) {
      if (entries.length === 1) {
        await markBlocked(db, entries[0]!, e.message)
        throw new BlockedError(entries[0]!.mid)
      }
      const half = Math.ceil(entries.length / 2)
      await pushBatch(db, api, clientId, entries.slice(0, half), onAcked)
      await pushBatch(db, api, clientId, entries.slice(half), onAcked)
      return
    }
    throw e
  }
  const held = resp as unknown as { wipe?: boolean; quarantined?: number }
  if (held.wipe) throw new WipeError(held.quarantined ?? 0)
  await storePush(db, entries, resp)
  onAcked(entries.filter((e) => e.mid <= resp.lastMutationId).length, resp)
}

/**
 * Pushes the whole outbox, oldest first. onAcked reports how many more
 * mutations the server has processed. Returns the number processed.
 */
export async function pushAll(
  db: FieldDb,
  api: Pick<SyncApi, 'push'>,
  clientId: string,
  onAcked: (n: number, resp: PushResponse) => void = () => {},
): Promise<number> {
  let done = 0
  const count = (n: number, resp: PushResponse) => {
    done += n
    onAcked(n, resp)
  }
  for (let round = 0; round < 10_000; round++) {
    const pending = await pendingEntries(db, PUSH_BATCH * 5)
    if (!pending.length) break
    const blocked = pending.find((e) => e.status === 'blocked')
    if (blocked && blocked === pending[0]) throw new BlockedError(blocked.mid)
    const before = await getMeta<number>(db, 'ackedMutationId', 0)
    const beforeFirst = pending[0]!.mid
    for (const b of batches(pending)) await pushBatch(db, api, clientId, b, count)
    const after = await getMeta<number>(db, 'ackedMutationId', 0)
    const first = (await pendingEntries(db, 1))[0]
    // No progress at all (the server keeps waiting for a mutation it will
    // not get): stop rather than loop; the next pass tries again.
    if (after === before && first?.mid === beforeFirst) throw new Error('push made no progress')
  }
  return done
}
