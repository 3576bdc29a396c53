// Photos and signatures travel before the mutations that name them: each is
// uploaded raw, by content, and marked uploaded when the server answers the
// same SHA-256. A cut upload is simply repeated on the next pass.
import type { SyncApi } from '@/api/field'
import type { FieldDb } from '@/db/schema'

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
