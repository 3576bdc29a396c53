/**
 * Answers being typed are saved after a short pause. When the page is
 * hidden or closed inside that pause, an IndexedDB write started then may
 * not finish, so the unsaved answers are also written, synchronously, to
 * localStorage; the next visit saves whatever of them did not arrive.
 */

const PREFIX = 'elvcare.drafts.'

export function stashKey(id: string): string {
  return PREFIX + id
}

/** Keeps drafts for the form id (nothing when there are none). */
export function stashDrafts<T>(storage: Storage, id: string, drafts: Record<string, T>): void {
  if (Object.keys(drafts).length === 0) return
  try {
    storage.setItem(stashKey(id), JSON.stringify(drafts))
  } catch {
    // Storage full or disabled: the IndexedDB write is still under way.
  }
}

/** Returns and forgets the drafts kept for the form id. */
export function takeStash<T>(storage: Storage, id: string): Record<string, T> {
  let raw: string | null = null
  try {
    raw = storage.getItem(stashKey(id))
    storage.removeItem(stashKey(id))
  } catch {
    return {}
  }
  if (!raw) return {}
  try {
    const v: unknown = JSON.parse(raw)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, T>) : {}
  } catch {
    return {}
  }
}

/** Forgets the drafts kept for the form id: they were saved. */
export function dropStash(storage: Storage, id: string): void {
  try {
    storage.removeItem(stashKey(id))
  } catch {
    // nothing kept
  }
}

/**
 * Calls onHide when the page is hidden (the last moment a phone reliably
 * gives) or unloaded; returns the function that stops listening.
 */
export function onPageHide(onHide: () => void, win: Window = window, doc: Document = document): () => void {
  const visibility = () => {
    if (doc.visibilityState === 'hidden') onHide()
  }
  win.addEventListener('pagehide', onHide)
  doc.addEventListener('visibilitychange', visibility)
  return () => {
    win.removeEventListener('pagehide', onHide)
    doc.removeEventListener('visibilitychange', visibility)
  }
}
