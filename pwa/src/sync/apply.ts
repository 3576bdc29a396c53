// The local effect of each field mutation: what the device shows before
// the server has seen it. Written once and used twice — for the optimistic
// write (with the outbox entry, in one transaction) and for the rebase after
// a pull (the server's records with the still-pending mutations replayed on
// top). Every reducer is idempotent: additions are keyed by their client-made
// ids, values are set, and state moves only happen from the states the
// server's machine allows them from, so replaying a mutation already applied
// changes nothing.
import type { Checklist, ChecklistTemplate, Equipment, StateEntry, Ticket, TicketState } from '@/api/field'
import type { FieldDb } from '@/db/schema'
import { isMutation, type Mutation } from './mutations'

export interface ApplyContext {
  userId: string
  clientId: string
}

type Tables = {
  tickets: Ticket
  checklists: Checklist
  equipment: Equipment
  templates: ChecklistTemplate
}
type TableName = keyof Tables

/**
 * The records a batch of reducers reads and writes, loaded once from the
 * database (inside the caller's transaction) and written back by flush().
 */
export class RecordCache {
  private readonly rows = new Map<string, unknown>()
  private readonly dirty = new Set<string>()

  constructor(private readonly db: FieldDb) {}

  async get<T extends TableName>(table: T, id: string): Promise<Tables[T] | undefined> {
    const key = `${table}/${id}`
    if (!this.rows.has(key)) {
      const row = await (this.db[table] as unknown as { get(id: string): Promise<Tables[T] | undefined> }).get(id)
      this.rows.set(key, row)
    }
    return this.rows.get(key) as Tables[T] | undefined
  }

  put<T extends TableName>(table: T, id: string, value: Tables[T]): void {
    const key = `${table}/${id}`
    this.rows.set(key, value)
    this.dirty.add(key)
  }

  /** Forgets what was read, e.g. after pulled rows replaced them. */
  reset(): void {
    this.rows.clear()
    this.dirty.clear()
  }

  async flush(): Promise<void> {
    for (const key of this.dirty) {
      const slash = key.indexOf('/')
      const table = key.slice(0, slash) as TableName
      const value = this.rows.get(key)
      if (value !== undefined) await (this.db[table] as unknown as { put(v: unknown): Promise<unknown> }).put(value)
    }
    this.dirty.clear()
  }
}

/** The states each field move may start from (R-TKT-STATES). */
const MOVES: Partial<Record<TicketState, TicketState[]>> = {
  accepted: ['assigned'],
  appointed: ['accepted'],
  en_route: ['appointed'],
  on_site: ['appointed', 'en_route'],
  resulted: ['on_site'],
  signed: ['resulted'],
}

function move(t: Ticket, to: TicketState, m: Mutation, ctx: ApplyContext): boolean {
  if (!MOVES[to]?.includes(t.state)) return false
  t.state = to
  const entry: StateEntry = {
    state: to,
    at: m.deviceTime,
    eventAt: m.deviceTime,
    deviceTime: m.deviceTime,
    by: ctx.userId,
    device: ctx.clientId,
  }
  t.history = [...(t.history ?? []), entry]
  return true
}

function addOnce<T extends { id: string }>(list: T[] | undefined, item: T): T[] {
  const l = list ?? []
  return l.some((x) => x.id === item.id) ? l : [...l, item]
}

/** Applies m to the records in cache. A mutation about a record the device does not hold changes nothing. */
export async function applyMutation(cache: RecordCache, m: Mutation, ctx: ApplyContext): Promise<void> {
  if (m.name.startsWith('checklist.')) return applyChecklist(cache, m, ctx)
  const id = (m.args as { id: string }).id
  const t = await cache.get('tickets', id)
  if (!t) return
  const by = ctx.userId
  const at = m.deviceTime
  const signed = !!t.signature

  if (isMutation(m, 'ticket.accept')) {
    move(t, 'accepted', m, ctx)
  } else if (isMutation(m, 'ticket.callAhead')) {
    const a = m.args
    t.calls = addOnce(t.calls, { id: a.callId, at: a.calledAt, method: a.method, note: a.note || undefined, by })
    t.appointment = { at: a.appointmentAt, method: a.method, note: a.note || undefined }
    move(t, 'appointed', m, ctx)
  } else if (isMutation(m, 'ticket.depart')) {
    if (move(t, 'en_route', m, ctx)) t.departedAt = at
  } else if (isMutation(m, 'ticket.arrive')) {
    if (move(t, 'on_site', m, ctx)) t.arrivedAt = at
  } else if (signed) {
    return // a signed form is immutable: the server will keep the edit as a conflict
  } else if (isMutation(m, 'ticket.addWork')) {
    t.work = addOnce(t.work, { id: m.args.workId, text: m.args.text.trim(), at, by })
  } else if (isMutation(m, 'ticket.addPart')) {
    const a = m.args
    t.parts = addOnce(t.parts, {
      id: a.partId,
      name: a.name.trim(),
      model: a.model?.trim() || undefined,
      qty: a.qty,
      note: a.note?.trim() || undefined,
      by,
    })
  } else if (isMutation(m, 'ticket.swapDevice')) {
    const a = m.args
    if (!(t.swaps ?? []).some((s) => s.id === a.swapId)) {
      t.swaps = [
        ...(t.swaps ?? []),
        {
          id: a.swapId,
          equipmentId: a.equipmentId,
          oldSerial: a.oldSerial.trim(),
          newSerial: a.newSerial.trim(),
          newModel: a.newModel?.trim() || undefined,
          by,
        },
      ]
    }
    // The archive follows: old serial out, new serial in (R-TKT-4).
    const eq = await cache.get('equipment', a.equipmentId)
    if (eq) {
      eq.serial = a.newSerial.trim()
      if (a.newModel?.trim()) eq.model = a.newModel.trim()
      cache.put('equipment', eq.id, eq)
    }
  } else if (isMutation(m, 'ticket.addPhoto')) {
    t.photos = addOnce(t.photos, { id: m.args.photoId, hash: m.args.hash, caption: m.args.caption || undefined, at, by })
  } else if (isMutation(m, 'ticket.setResult')) {
    t.result = { ...m.args.result }
    t.resultAt = at
    move(t, 'resulted', m, ctx)
  } else if (isMutation(m, 'ticket.sign')) {
    if (!t.result || !move(t, 'signed', m, ctx)) return
    t.acceptance = { ...m.args.acceptance }
    // The content hash is the server's to compute over what it stored.
    t.signature = { imageHash: m.args.signatureHash, contentHash: '', signerName: m.args.signerName, signedAt: at }
  } else if (isMutation(m, 'ticket.signPaper')) {
    if (!t.result || !move(t, 'signed', m, ctx)) return
    t.acceptance = { ...m.args.acceptance }
    t.signature = { imageHash: m.args.photoHash, contentHash: '', signedAt: at, paper: true }
    t.photos = addOnce(t.photos, { id: `paper-${m.args.photoHash}`, hash: m.args.photoHash, caption: '纸质联络单', at, by, paper: true })
  }
  cache.put('tickets', t.id, t)
}

async function applyChecklist(cache: RecordCache, m: Mutation, ctx: ApplyContext): Promise<void> {
  const at = m.deviceTime
  if (isMutation(m, 'checklist.start')) {
    const a = m.args
    const t = await cache.get('tickets', a.ticketId)
    if (!t || t.signature) return
    if (!(await cache.get('checklists', a.id))) {
      const template = await cache.get('templates', a.templateId)
      if (!template) return
      cache.put('checklists', a.id, {
        id: a.id,
        ticketId: a.ticketId,
        number: '',
        templateId: a.templateId,
        template,
        answers: {},
        summary: '',
        by: ctx.userId,
        started: at,
        updated: at,
      })
    }
    if (!t.checklists.includes(a.id)) {
      t.checklists = [...t.checklists, a.id]
      cache.put('tickets', t.id, t)
    }
    return
  }
  const id = (m.args as { id: string }).id
  const cl = await cache.get('checklists', id)
  if (!cl) return
  const t = await cache.get('tickets', cl.ticketId)
  if (t?.signature) return
  if (isMutation(m, 'checklist.setItem')) {
    cl.answers = { ...cl.answers, [m.args.answer.itemKey]: { ...m.args.answer } }
  } else if (isMutation(m, 'checklist.setSummary')) {
    cl.summary = m.args.summary.trim()
  }
  cl.updated = at
  cache.put('checklists', cl.id, cl)
}
