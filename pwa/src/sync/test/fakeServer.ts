// A test double of the server's sync endpoints, keeping the protocol's rules
// (exactly once per client and mutation id, a gap stops the batch, pull by
// cursor with reset and more) with scripted failures. Only tests import it.
import { ApiError } from '@/api/errors'
import type { PullChange, PullRequest, PullResponse, PushRequest, PushResponse, PushResult, SyncApi, Ticket } from '@/api/field'

type Failure =
  | { kind: 'network' }
  | { kind: 'status'; status: number; code?: string }

export interface FeedEntry {
  version: number
  collection: string
  id: string
  op: 'put' | 'delete' | 'evict'
  data?: unknown
}

export function ticket(over: Partial<Ticket> & { id: string }): Ticket {
  return {
    number: `LL-2026-${over.id.slice(-5)}`,
    jobId: 'job',
    customerId: 'c1',
    customerName: '深圳市华强物业管理有限公司',
    siteId: 's1',
    siteName: '华强大厦',
    address: '深圳市福田区华强北路 1019 号',
    contactName: '陈经理',
    contactPhone: '13802561234',
    system: 'alarm',
    equipmentIds: [],
    requested: '红外防盗报警系统季度点检维护',
    priority: 'normal',
    customerType: 'annual',
    liaison: false,
    coverage: 'annual',
    state: 'assigned',
    plannedDate: '2026-11-25',
    helpers: [],
    assigned: ['u1'],
    calls: [],
    work: [],
    parts: [],
    swaps: [],
    photos: [],
    checklists: [],
    history: [],
    rev: 2,
    fieldRev: {},
    created: '2026-11-25T01:00:00Z',
    updated: '2026-11-25T01:00:00Z',
    lead: 'u1',
    ...over,
  }
}

export class FakeServer {
  version = 1
  feed: FeedEntry[] = []
  lastMutation = new Map<string, number>()
  /** Every mutation the server processed, in order. */
  processed: { clientId: string; id: number; name: string; args: Record<string, unknown> }[] = []
  /** Push bodies as received (after failures). */
  pushes: PushRequest[] = []
  uploads: Blob[] = []
  blobs = new Set<string>()
  calls: string[] = []
  /** Failures to answer the next calls with, by endpoint. */
  failures: Record<'push' | 'pull' | 'upload' | 'me' | 'login', Failure[]> = {
    push: [],
    pull: [],
    upload: [],
    me: [],
    login: [],
  }
  /** Answers 413 to pushes of more mutations than this. */
  maxBatch = Infinity
  /** The status the server gives a mutation (default applied). */
  outcome: (m: { name: string; args: Record<string, unknown> }) => PushResult['status'] = () => 'applied'
  /** The session is over until login() is called. */
  loggedOut = false
  password = 'demo123'

  put(collection: string, id: string, data: unknown): void {
    this.feed.push({ version: ++this.version, collection, id, op: 'put', data })
  }

  evict(collection: string, id: string): void {
    this.feed.push({ version: ++this.version, collection, id, op: 'evict' })
  }

  private fail(endpoint: keyof FakeServer['failures']): void {
    const f = this.failures[endpoint].shift()
    if (f?.kind === 'network') throw new ApiError({ status: 0, code: 'network', message: '网络连接失败' })
    if (f?.kind === 'status') throw new ApiError({ status: f.status, code: f.code ?? `http_${f.status}`, message: `HTTP ${f.status}` })
    if (this.loggedOut && endpoint !== 'login') throw new ApiError({ status: 401, code: 'unauthorized', message: '请先登录' })
  }

  readonly api: SyncApi = {
    push: async (body) => {
      this.calls.push('push')
      this.fail('push')
      if (body.mutations.length > this.maxBatch)
        throw new ApiError({ status: 413, code: 'sync.batch_too_large', message: '数据太大' })
      this.pushes.push(structuredClone(body))
      return this.push(body)
    },
    pull: async (body) => {
      this.calls.push('pull')
      this.fail('pull')
      return this.pull(body)
    },
    upload: async (blob) => {
      this.calls.push('upload')
      this.fail('upload')
      this.uploads.push(blob)
      const buf = await blob.arrayBuffer()
      const d = await crypto.subtle.digest('SHA-256', buf)
      const hash = Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('')
      this.blobs.add(hash)
      return { hash, size: blob.size }
    },
    me: async () => {
      this.calls.push('me')
      this.fail('me')
      return { id: 'u1', login: 'wang', name: '王工', roles: ['technician'], specialist: true, skills: [] }
    },
    login: async (login, password) => {
      this.calls.push('login')
      this.fail('login')
      if (password !== this.password) throw new ApiError({ status: 401, code: 'auth.bad_credentials', message: '账号或密码不正确' })
      this.loggedOut = false
      return { user: { id: 'u1', login, name: '王工', roles: ['technician'], specialist: true, skills: [] } }
    },
  }

  private push(body: PushRequest): PushResponse {
    let last = this.lastMutation.get(body.clientId) ?? 0
    const results: PushResult[] = []
    for (const m of [...body.mutations].sort((a, b) => a.id - b.id)) {
      if (m.id <= last) continue
      if (m.id !== last + 1) break
      const status = this.outcome(m)
      const r: PushResult = { id: m.id, status }
      if (status === 'conflict') Object.assign(r, { conflictId: `conflict-${m.id}`, reason: 'field_changed' })
      if (status === 'rejected') Object.assign(r, { error: { code: 'invalid', message: '输入有误' } })
      results.push(r)
      this.processed.push({ clientId: body.clientId, id: m.id, name: m.name, args: m.args })
      last = m.id
    }
    this.lastMutation.set(body.clientId, last)
    return { lastMutationId: last, results, serverTime: new Date().toISOString(), clockOffsetMs: 0, clockDrift: false }
  }

  private pull(body: PullRequest): PullResponse {
    const cur = body.cursor ? Number(body.cursor) : 0
    const limit = body.limit ?? 2000
    const lastMutationId = this.lastMutation.get(body.clientId) ?? 0
    if (!cur) {
      const latest = new Map<string, FeedEntry>()
      for (const e of this.feed) latest.set(`${e.collection}/${e.id}`, e)
      const changes: PullChange[] = [...latest.values()]
        .filter((e) => e.op === 'put')
        .map((e) => ({ version: this.version, collection: e.collection, id: e.id, op: 'put', data: e.data }))
      return { cursor: String(this.version), lastMutationId, reset: true, more: false, changes }
    }
    const after = this.feed.filter((e) => e.version > cur)
    const page = after.slice(0, limit)
    const more = after.length > limit
    const upTo = page.length ? page[page.length - 1]!.version : cur
    return {
      cursor: String(more ? upTo : Math.max(upTo, this.version)),
      lastMutationId,
      reset: false,
      more,
      changes: page.map((e) => ({ version: e.version, collection: e.collection, id: e.id, op: e.op, data: e.data })),
    }
  }
}
