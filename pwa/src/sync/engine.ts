// The sync engine: one pass at a time — upload files, push the outbox, pull
// until done — on open, on `online`, when the page becomes visible, every
// minute, soon after a local write, and on "立即同步". It never throws into
// views: every outcome lands in `status`.
//
// Failure rules (docs/sync-protocol.md, "A client's loop"):
// - network errors and 5xx: retry with exponential backoff;
// - 401: keep the outbox, ask for the password, replay after signing in;
// - 403 `csrf`: refresh the token (GET /api/auth/me) and retry once;
// - 413: halve the batch (push.ts);
// - conflict / rejected per mutation: recorded and shown, never retried.
import { liveQuery, type Subscription } from 'dexie'
import { isApiError } from '@/api/errors'
import type { SyncApi } from '@/api/field'
import { getMeta, setMeta, type FieldDb } from '@/db/schema'
import { holdUpdates } from '@/composables/updateGate'
import type { ApplyContext } from './apply'
import { pendingFileCount, pruneFiles, uploadFiles } from './files'
import { clientIdOf } from './outbox'
import { pullAll } from './pull'
import { BlockedError, pushAll, WipeError } from './push'
import { newStatus, type SyncErrorKind, type SyncStatus } from './status'

export const INTERVAL_MS = 60_000
/** The pause after a local write before syncing it. */
export const WRITE_DELAY_MS = 1_000
export const BACKOFF_BASE_MS = 2_000
export const BACKOFF_MAX_MS = 5 * 60_000

export interface EngineOptions {
  db: FieldDb
  api: SyncApi
  user: { id: string; login: string }
  /** Where `online` and `visibilitychange` come from (window/document in the app). */
  win?: Pick<Window, 'addEventListener' | 'removeEventListener'> | null
  doc?: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'> | null
  /** 0..1; jitter of the backoff (tests pass () => 0.5 for exact delays). */
  random?: () => number
}

/** The retry delay after n consecutive failures (n ≥ 1), with ±20 % jitter. */
export function backoffDelay(n: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, n - 1), BACKOFF_MAX_MS)
  return Math.round(base * (0.8 + 0.4 * random()))
}

function classify(e: unknown): { kind: SyncErrorKind; message: string; retry: boolean } {
  if (e instanceof WipeError) return { kind: 'revoked', message: e.message, retry: false }
  if (e instanceof BlockedError) return { kind: 'blocked', message: e.message, retry: false }
  if (isApiError(e)) {
    if (e.status === 0) return { kind: 'network', message: e.message, retry: true }
    if (e.status === 401) return { kind: 'auth', message: e.message, retry: false }
    if (e.status >= 500 || e.status === 429 || e.status === 408) return { kind: 'server', message: e.message, retry: true }
    return { kind: 'other', message: e.message, retry: true }
  }
  return { kind: 'other', message: e instanceof Error ? e.message : String(e), retry: true }
}

export class SyncEngine {
  readonly status: SyncStatus = newStatus()
  private readonly db: FieldDb
  private readonly api: SyncApi
  private readonly user: { id: string; login: string }
  private readonly win: EngineOptions['win']
  private readonly doc: EngineOptions['doc']
  private readonly random: () => number
  private clientId = ''
  private current: Promise<void> | null = null
  private again = false
  private timer: ReturnType<typeof setTimeout> | null = null
  private timerAt = 0
  private interval: ReturnType<typeof setInterval> | null = null
  private failures = 0
  private started = false
  private userNoted = false
  private subs: Subscription[] = []

  constructor(opts: EngineOptions) {
    this.db = opts.db
    this.api = opts.api
    this.user = opts.user
    this.win = opts.win === undefined ? (typeof window === 'undefined' ? null : window) : opts.win
    this.doc = opts.doc === undefined ? (typeof document === 'undefined' ? null : document) : opts.doc
    this.random = opts.random ?? Math.random
  }

  private readonly onOnline = () => {
    this.status.online = true
    void this.syncNow()
  }
  private readonly onOffline = () => {
    this.status.online = false
  }
  private readonly onVisible = () => {
    if (this.doc?.visibilityState === 'visible') void this.syncNow()
  }

  /**
   * Starts watching the outbox and syncing. The first pass follows at once —
   * just after the page has drawn what the device holds (firstDelayMs), so
   * opening the app with no signal is not slowed by a sync that cannot run.
   */
  async start(firstDelayMs = 0): Promise<void> {
    if (this.started) return
    this.started = true
    this.clientId = await clientIdOf(this.db)
    this.status.lastSync = await getMeta<string | null>(this.db, 'lastSync', null)
    this.watch()
    this.win?.addEventListener('online', this.onOnline)
    this.win?.addEventListener('offline', this.onOffline)
    this.doc?.addEventListener('visibilitychange', this.onVisible)
    this.interval = setInterval(() => {
      if (!this.inBackoff()) this.request(0)
    }, INTERVAL_MS)
    this.request(firstDelayMs)
  }

  /** Stops syncing (sign-out); a pass under way finishes. */
  stop(): void {
    this.started = false
    this.win?.removeEventListener('online', this.onOnline)
    this.win?.removeEventListener('offline', this.onOffline)
    this.doc?.removeEventListener('visibilitychange', this.onVisible)
    if (this.interval) clearInterval(this.interval)
    this.interval = null
    this.clearTimer()
    for (const s of this.subs) s.unsubscribe()
    this.subs = []
    holdUpdates('sync', false)
  }

  get context(): ApplyContext {
    return { userId: this.user.id, clientId: this.clientId }
  }

  private watch(): void {
    const counts = liveQuery(async () => ({
      pending: await this.db.outbox.count(),
      issues: await this.db.issues.count(),
      files: await pendingFileCount(this.db),
    }))
    this.subs.push(
      counts.subscribe({
        next: (c) => {
          this.status.pending = c.pending
          this.status.issues = c.issues
          this.status.files = c.files
          this.holdUpdates()
        },
        error: () => {},
      }),
    )
  }

  private holdUpdates(): void {
    holdUpdates('sync', this.status.running || this.status.pending > 0)
  }

  private inBackoff(): boolean {
    return this.status.retryAt !== null && this.status.retryAt > Date.now()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.timerAt = 0
  }

  /**
   * Asks for a pass in delayMs (an earlier request wins). A pass already
   * running is followed by one more.
   */
  request(delayMs = 0): void {
    if (!this.started || this.status.needsLogin) return
    const at = Date.now() + delayMs
    if (this.timer && this.timerAt <= at) return
    this.clearTimer()
    this.timerAt = at
    this.timer = setTimeout(() => {
      this.timer = null
      this.timerAt = 0
      void this.run()
    }, delayMs)
  }

  /** After a local write: soon, unless a backoff retry is already waiting. */
  afterWrite(): void {
    if (this.inBackoff()) return
    this.request(WRITE_DELAY_MS)
  }

  /** "立即同步": now, forgetting any backoff. Resolves when the pass is over. */
  async syncNow(): Promise<void> {
    if (!this.started) return
    if (this.status.needsLogin) return
    this.failures = 0
    this.status.retryAt = null
    this.clearTimer()
    await this.run()
  }

  /** Signs in again with the password after a 401, then replays the outbox. */
  async relogin(password: string): Promise<void> {
    await this.api.login(this.user.login, password)
    this.status.needsLogin = false
    this.status.error = null
    await this.syncNow()
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.current) await this.current
  }

  private run(): Promise<void> {
    if (this.current) {
      this.again = true
      return this.current
    }
    this.current = (async () => {
      try {
        do {
          this.again = false
          await this.pass()
        } while (this.again && this.started && !this.status.needsLogin && !this.inBackoff())
      } finally {
        this.current = null
      }
    })()
    return this.current
  }

  /** 403 `csrf`: refresh the token and retry once. */
  private async csrfRetry<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (e) {
      if (!isApiError(e) || e.status !== 403 || e.code !== 'csrf') throw e
      await this.api.me()
      return call()
    }
  }

  private async pass(): Promise<void> {
    const s = this.status
    s.running = true
    this.holdUpdates()
    const ctx = this.context
    try {
      if (!this.userNoted) {
        await setMeta(this.db, 'user', { id: this.user.id, login: this.user.login })
        this.userNoted = true
      }
      const files = await pendingFileCount(this.db)
      if (files > 0) {
        s.phase = 'uploading'
        s.progress = { done: 0, total: files }
        await uploadFiles(this.db, { upload: (b) => this.csrfRetry(() => this.api.upload(b)) }, () => {
          if (s.progress) s.progress.done++
        })
      }
      const pending = await this.db.outbox.count()
      if (pending > 0) {
        s.phase = 'pushing'
        s.progress = { done: 0, total: pending }
        await pushAll(this.db, { push: (body) => this.csrfRetry(() => this.api.push(body)) }, ctx.clientId, (n, resp) => {
          if (s.progress) s.progress.done = Math.min(s.progress.total, s.progress.done + n)
          s.clockDrift = resp.clockDrift
        })
      }
      s.phase = 'pulling'
      s.progress = null
      await pullAll(this.db, { pull: (body) => this.csrfRetry(() => this.api.pull(body)) }, ctx)
      await pruneFiles(this.db)
      const at = new Date().toISOString()
      await setMeta(this.db, 'lastSync', at)
      s.lastSync = at
      s.error = null
      s.retryAt = null
      this.failures = 0
    } catch (e) {
      const c = classify(e)
      s.error = { kind: c.kind, message: c.message }
      if (c.kind === 'revoked') {
        // The server holds what was queued; nothing may stay on the device.
        this.stop()
        await this.db.delete()
        s.pending = 0
      } else if (c.kind === 'auth') {
        s.needsLogin = true
      } else if (c.retry) {
        this.failures++
        const delay = backoffDelay(this.failures, this.random)
        s.retryAt = Date.now() + delay
        this.again = false
        this.clearTimer()
        this.timerAt = s.retryAt
        this.timer = setTimeout(() => {
          this.timer = null
          this.timerAt = 0
          s.retryAt = null
          void this.run()
        }, delay)
      }
    } finally {
      s.running = false
      s.phase = 'idle'
      s.progress = null
      this.holdUpdates()
    }
  }
}
