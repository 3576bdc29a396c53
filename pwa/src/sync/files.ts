// Photos and signatures travel before the mutations that name them: each is
// uploaded raw, by content, and marked uploaded when the server answers the
// same SHA-256. A cut upload is simply repeated on the next pass.
import type { SyncApi } from '@/api/field'
import type { FieldDb } from '@/db/schema'
import type { Ticket } from '@/api/field'

/** SHA-256 of a blob, lower-case hex (what the server answers and mutations name). */
export async function sha256Hex(blob: Blob): Promise<string> {
  const buf = await blob.arrayBuffer()
  const digest = await crypto.subtle.digest('SHA-256', buf)
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Uploads every file the server does not have yet. Returns how many were sent. */
export async function uploadFiles(
  db: FieldDb,
  api: Pick<SyncApi, 'upload'>,
  onUploaded: () => void = () => {},
): Promise<number> {
  const waiting = await db.files.where('uploaded').equals(0).primaryKeys()
  let sent = 0
  for (const hash of waiting) {
    const f = await db.files.get(hash)
    if (!f || f.uploaded) continue
    const blob = f.blob.type ? f.blob : new Blob([f.blob], { type: f.type })
    const res = await api.upload(blob)
    if (res.hash !== hash) throw new Error(`upload of ${hash} answered ${res.hash}`)
    await db.files.update(hash, { uploaded: 1 })
    sent++
    onUploaded()
  }
  return sent
}

/** How many files wait to be uploaded. */
export function pendingFileCount(db: FieldDb): Promise<number> {
  return db.files.where('uploaded').equals(0).count()
}

/** How long an uploaded file stays on the phone once no ticket here shows it. */
export const KEEP_UPLOADED_MS = 7 * 24 * 3600 * 1000

/** The files a ticket shows: its photos and its signature (or paper form). */
export function fileRefsOf(t: Ticket): string[] {
  const refs = (t.photos ?? []).map((p) => p.hash)
  if (t.signature?.imageHash) refs.push(t.signature.imageHash)
  return refs
}

/**
 * Frees the phone's storage of files the server has: a file stays while a
 * queued mutation names it, or while a ticket on the phone shows it and it
 * is less than KEEP_UPLOADED_MS old (today's work opens offline). Others
 * are dropped; online they load from the server. Returns how many went.
 */
export async function pruneFiles(db: FieldDb, now: Date = new Date()): Promise<number> {
  return db.transaction('rw', [db.files, db.outbox, db.tickets], async () => {
    const uploaded = await db.files.where('uploaded').equals(1).toArray()
    if (uploaded.length === 0) return 0
    const queued = new Set<string>()
    await db.outbox.each((e) => e.files.forEach((h) => queued.add(h)))
    const shown = new Set<string>()
    await db.tickets.each((t) => fileRefsOf(t).forEach((h) => shown.add(h)))
    const cutoff = now.getTime() - KEEP_UPLOADED_MS
    const drop = uploaded
      .filter((f) => !queued.has(f.hash) && (!shown.has(f.hash) || Date.parse(f.created) < cutoff))
      .map((f) => f.hash)
    await db.files.bulkDelete(drop)
    return drop.length
  })
}
