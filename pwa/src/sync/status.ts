// What the sync bar shows: one reactive object the engine keeps current.
// Views read it through repos/sync.ts; it never throws.
import { reactive } from 'vue'

export type SyncPhase = 'idle' | 'uploading' | 'pushing' | 'pulling'

/** Why the last pass failed: network and server retry by themselves. */
export type SyncErrorKind = 'network' | 'server' | 'auth' | 'blocked' | 'revoked' | 'other'

export interface SyncStatus {
  running: boolean
  phase: SyncPhase
  /** Of the current phase: "同步中 12/200". */
  progress: { done: number; total: number } | null
  /** Mutations waiting in the outbox. */
  pending: number
  /** Conflicts and rejections of this device's mutations, not yet dismissed. */
  issues: number
  /** Files waiting to be uploaded. */
  files: number
  /** ISO time of the last complete pass. */
  lastSync: string | null
  error: { kind: SyncErrorKind; message: string } | null
  /** The server said our session ended: the outbox waits for the password. */
  needsLogin: boolean
  /** When the next automatic retry runs (ms since epoch), during backoff. */
  retryAt: number | null
  /** The server measured this device's clock off by over a minute. */
  clockDrift: boolean
  online: boolean
}

export function newStatus(): SyncStatus {
  return reactive<SyncStatus>({
    running: false,
    phase: 'idle',
    progress: null,
    pending: 0,
    issues: 0,
    files: 0,
    lastSync: null,
    error: null,
    needsLogin: false,
    retryAt: null,
    clockDrift: false,
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
  })
}
