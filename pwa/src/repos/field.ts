// The technician's data session: the database and the sync engine of the
// signed-in user, started by the phone layout and stopped on sign-out.
import { computed, shallowRef, type ComputedRef } from 'vue'
import { syncApi } from '@/api/field'
import { closeDb, useDbOf } from '@/db'
import { SyncEngine } from '@/sync/engine'
import { newStatus, type SyncStatus } from '@/sync/status'

export interface FieldUser {
  id: string
  login: string
  name: string
}

/** The app draws the device's data first, then syncs. */
const FIRST_SYNC_DELAY_MS = 400

let engine: SyncEngine | null = null
let engineUser = ''
const idleStatus = newStatus()
const current = shallowRef<SyncEngine | null>(null)

/** Opens the user's data on this device and starts syncing it. */
export function startField(user: FieldUser): SyncEngine {
  if (engine && engineUser === user.id) return engine
  stopField()
  const db = useDbOf(user.id)
  engine = new SyncEngine({ db, api: syncApi, user })
  engineUser = user.id
  current.value = engine
  engine.start(FIRST_SYNC_DELAY_MS).catch((e: unknown) => console.error('sync engine did not start', e))
  void requestPersistence()
  return engine
}

/**
 * Starts opening the user's database at once, so it is ready by the time
 * the first page asks for data (a cold start with no signal waits on it).
 */
export function openFieldData(userId: string): void {
  useDbOf(userId)
    .open()
    .catch(() => {})
}

/** Stops syncing and closes the database; the outbox stays for next time. */
export function stopField(): void {
  engine?.stop()
  engine = null
  engineUser = ''
  current.value = null
  closeDb()
}

/** The running engine, if a technician is signed in. */
export function fieldEngine(): SyncEngine | null {
  return engine
}

/** The sync status the bar shows (an idle one before start). */
export function useSyncStatus(): ComputedRef<SyncStatus> {
  return computed(() => current.value?.status ?? idleStatus)
}

/** "立即同步". */
export function syncNow(): Promise<void> {
  return engine?.syncNow() ?? Promise.resolve()
}

/** Signs in again after the server ended the session, then replays the outbox. */
export function reloginAndSync(password: string): Promise<void> {
  if (!engine) return Promise.resolve()
  return engine.relogin(password)
}

/** Lets the engine know a local write happened. */
export function wrote(): void {
  engine?.afterWrite()
}

let persistAsked = false

/**
 * Asks the browser to keep this site's data under storage pressure (the
 * outbox must never be evicted). Once per session, after sign-in.
 */
export async function requestPersistence(): Promise<boolean> {
  if (persistAsked) return false
  persistAsked = true
  try {
    if (!navigator.storage?.persist) return false
    if (await navigator.storage.persisted()) return true
    return await navigator.storage.persist()
  } catch {
    return false
  }
}
