// The technician's tickets, read live from the device and changed through
// the outbox: every action below is a local write and its queued mutation
// in one transaction, then a nudge to the sync engine.
import type {
  Acceptance,
  CallMethod,
  Checklist,
  ChecklistAnswer,
  ChecklistItem,
  ChecklistTemplate,
  Contact,
  Customer,
  Equipment,
  Site,
  Ticket,
  TicketResult,
  TicketState,
} from '@/api/field'
import { db, type SyncIssue } from '@/db'
import { enqueue, type LocalChange, type NewFile } from '@/sync/outbox'
import { uuidv7 } from '@/sync/uuid'
import { fieldEngine, wrote } from './field'
import { useLive } from './live'
import type { WatchSource } from 'vue'
import { civilDate, todayInShanghai } from '@/composables/archiveFormat'

export type {
  Acceptance,
  CallMethod,
  Checklist,
  ChecklistAnswer,
  ChecklistItem,
  ChecklistTemplate,
  Contact,
  Customer,
  Equipment,
  Site,
  Ticket,
  TicketResult,
  TicketState,
}
export type { NewFile }
export {
  ACCESSORIES,
  CALL_METHODS,
  CUSTOMER_TYPES,
  DISSATISFACTION_REASONS,
  NOT_DONE_REASONS,
  SATISFACTIONS,
  TICKET_STATES,
} from '@/api/field'

/** A ticket with how many of its changes wait to be synced. */
export interface TicketCard {
  ticket: Ticket
  pending: number
}

/** States where the visit is over for the technician. */
const FINISHED: TicketState[] = ['signed', 'returned', 'called_back', 'reopened', 'archived', 'cancelled']

export function isFinished(t: Ticket): boolean {
  return FINISHED.includes(t.state)
}

/**
 * The day a ticket is for: the agreed appointment, else the desk's planned
 * date. Days are counted in Shenzhen (Asia/Shanghai), where the desk plans
 * visits: a phone set to another zone, or one opened just after midnight,
 * still files each ticket under the day it was planned for.
 */
export function dayOf(t: Ticket): string {
  if (t.appointment?.at) return civilDate(t.appointment.at)
  return t.plannedDate ?? ''
}

export interface TicketGroups {
  today: TicketCard[]
  upcoming: TicketCard[]
  done: TicketCard[]
}

/**
 * 今天 (due today or overdue), 以后 (later), 已完成 (the visit is over):
 * urgent first, then by appointment or planned date.
 */
export function groupTickets(cards: TicketCard[], now: Date = new Date()): TicketGroups {
  const today = todayInShanghai(now)
  const key = (c: TicketCard) =>
    `${c.ticket.priority === 'urgent' ? 0 : 1}|${c.ticket.appointment?.at ?? `${dayOf(c.ticket)}T99`}|${c.ticket.number}`
  const byKey = (a: TicketCard, b: TicketCard) => key(a).localeCompare(key(b))
  const out: TicketGroups = { today: [], upcoming: [], done: [] }
  for (const c of cards) {
    if (isFinished(c.ticket)) out.done.push(c)
    else if (!dayOf(c.ticket) || dayOf(c.ticket) <= today) out.today.push(c)
    else out.upcoming.push(c)
  }
  out.today.sort(byKey)
  out.upcoming.sort((a, b) => `${dayOf(a.ticket)}|${key(a)}`.localeCompare(`${dayOf(b.ticket)}|${key(b)}`))
  out.done.sort((a, b) => b.ticket.updated.localeCompare(a.ticket.updated))
  return out
}

async function pendingByRecord(): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const e of await db().outbox.toArray()) {
    for (const r of e.records) counts.set(r, (counts.get(r) ?? 0) + 1)
  }
  return counts
}

/** 我的工单: every ticket on the device, live. */
export function useMyTickets() {
  return useLive<TicketCard[]>(async () => {
    const [tickets, pending] = await Promise.all([db().tickets.toArray(), pendingByRecord()])
    return tickets.map((ticket) => ({ ticket, pending: pending.get(`tickets/${ticket.id}`) ?? 0 }))
  }, [])
}

export interface TicketView {
  ticket: Ticket
  customer?: Customer
  site?: Site
  contacts: Contact[]
  equipment: Equipment[]
  checklists: Checklist[]
  pending: number
  issues: SyncIssue[]
}

/** One ticket with what the visit needs: customer, site, contacts, equipment, reports. */
export function useTicket(id: () => string, deps: WatchSource) {
  return useLive<TicketView | null>(
    async () => {
      const d = db()
      const ticket = await d.tickets.get(id())
      if (!ticket) return null
      const [customer, site, contacts, equipment, checklists, pending, issues] = await Promise.all([
        d.customers.get(ticket.customerId),
        d.sites.get(ticket.siteId),
        d.contacts.where('customerId').equals(ticket.customerId).toArray(),
        d.equipment.bulkGet(ticket.equipmentIds ?? []),
        d.checklists.bulkGet(ticket.checklists ?? []),
        d.outbox.where('records').equals(`tickets/${ticket.id}`).count(),
        d.issues.where('ticketId').equals(ticket.id).toArray(),
      ])
      return {
        ticket,
        customer,
        site,
        contacts: contacts.filter((c) => !c.siteIds.length || c.siteIds.includes(ticket.siteId)),
        equipment: equipment.filter((e): e is Equipment => !!e),
        checklists: checklists.filter((c): c is Checklist => !!c),
        pending,
        issues,
      }
    },
    null,
    deps,
  )
}

/** A maintenance report and its ticket, live. */
export function useChecklist(id: () => string, deps: WatchSource) {
  return useLive<{ checklist: Checklist; ticket?: Ticket } | null>(
    async () => {
      const checklist = await db().checklists.get(id())
      if (!checklist) return null
      return { checklist, ticket: await db().tickets.get(checklist.ticketId) }
    },
    null,
    deps,
  )
}

/** The checklist templates carried offline (the intrusion-alarm one is builtin.alarm.pm). */
/**
 * The checklist a visit uses: the ticket's own template when it names one,
 * else the newest template an admin made for its system, else the built-in.
 */
export function templateFor(
  templates: ChecklistTemplate[],
  t: { system: string; templateId?: string } | undefined,
): ChecklistTemplate | undefined {
  if (!t) return undefined
  const named = t.templateId ? templates.find((x) => x.id === t.templateId) : undefined
  if (named) return named
  const forSystem = templates.filter((x) => x.system === t.system)
  const custom = forSystem.filter((x) => !x.id.startsWith('builtin.')).sort((a, b) => b.version - a.version || a.id.localeCompare(b.id))
  return custom[0] ?? forSystem[0]
}

export function useTemplates() {
  return useLive<ChecklistTemplate[]>(() => db().templates.toArray(), [])
}

function me(): string {
  const e = fieldEngine()
  if (!e) throw new Error('no technician session')
  return e.context.userId
}

async function write(changes: LocalChange[], files: NewFile[] = []): Promise<void> {
  await enqueue(db(), { userId: me() }, changes, files)
  wrote()
}

// The field's actions, one mutation each (docs/sync-protocol.md). Plain
// fields carry the revision last seen from the server (`rev` is never
// changed locally), so a concurrent desk edit is detected.

export function accept(t: Ticket): Promise<void> {
  return write([{ name: 'ticket.accept', args: { id: t.id, baseRev: t.rev } }])
}

export interface CallAheadInput {
  appointmentAt: Date
  method: CallMethod
  note: string
}

export function callAhead(t: Ticket, input: CallAheadInput, calledAt: Date = new Date()): Promise<void> {
  return write([
    {
      name: 'ticket.callAhead',
      args: {
        id: t.id,
        callId: uuidv7(),
        calledAt: calledAt.toISOString(),
        method: input.method,
        appointmentAt: input.appointmentAt.toISOString(),
        note: input.note.trim() || undefined,
        baseRev: t.rev,
      },
    },
  ])
}

export function depart(t: Ticket): Promise<void> {
  return write([{ name: 'ticket.depart', args: { id: t.id } }])
}

export function arrive(t: Ticket): Promise<void> {
  return write([{ name: 'ticket.arrive', args: { id: t.id } }])
}

export function addWork(t: Ticket, text: string): Promise<void> {
  return write([{ name: 'ticket.addWork', args: { id: t.id, workId: uuidv7(), text: text.trim() } }])
}

export interface PartInput {
  name: string
  model: string
  qty: number
  note?: string
}

export function addPart(t: Ticket, p: PartInput): Promise<void> {
  return write([
    {
      name: 'ticket.addPart',
      args: {
        id: t.id,
        partId: uuidv7(),
        name: p.name.trim(),
        model: p.model.trim() || undefined,
        qty: p.qty,
        note: p.note?.trim() || undefined,
      },
    },
  ])
}

export interface SwapInput {
  equipmentId: string
  oldSerial: string
  newSerial: string
  newModel: string
}

export function swapDevice(t: Ticket, s: SwapInput): Promise<void> {
  return write([
    {
      name: 'ticket.swapDevice',
      args: {
        id: t.id,
        swapId: uuidv7(),
        equipmentId: s.equipmentId,
        oldSerial: s.oldSerial.trim(),
        newSerial: s.newSerial.trim(),
        newModel: s.newModel.trim() || undefined,
      },
    },
  ])
}

export function addPhoto(t: Ticket, photo: NewFile, caption = ''): Promise<void> {
  return write(
    [{ name: 'ticket.addPhoto', args: { id: t.id, photoId: uuidv7(), hash: photo.hash, caption: caption.trim() || undefined } }],
    [photo],
  )
}

/** Starts a maintenance report on the ticket; returns its id. */
export async function startChecklist(t: Ticket, templateId: string): Promise<string> {
  const id = uuidv7()
  await write([{ name: 'checklist.start', args: { id, ticketId: t.id, templateId } }])
  return id
}

/** Answers one item; the report's 维护总结 item also sets the summary. */
export function setChecklistItem(cl: Checklist, answer: ChecklistAnswer): Promise<void> {
  const changes: LocalChange[] = [
    { name: 'checklist.setItem', args: { id: cl.id, answer }, records: [`tickets/${cl.ticketId}`] },
  ]
  if (answer.itemKey === 'summary') {
    changes.push({
      name: 'checklist.setSummary',
      args: { id: cl.id, summary: answer.text ?? '' },
      records: [`tickets/${cl.ticketId}`],
    })
  }
  return write(changes)
}

export function setSummary(cl: Checklist, summary: string): Promise<void> {
  return write([{ name: 'checklist.setSummary', args: { id: cl.id, summary }, records: [`tickets/${cl.ticketId}`] }])
}

export function setResult(t: Ticket, result: TicketResult): Promise<void> {
  const r: TicketResult = { status: result.status }
  if (result.status === 'not_done') r.reason = result.reason
  if (result.remark?.trim()) r.remark = result.remark.trim()
  return write([{ name: 'ticket.setResult', args: { id: t.id, result: r, baseRev: t.rev } }])
}

function cleanAcceptance(a: Acceptance): Acceptance {
  const out: Acceptance = { equipmentOk: a.equipmentOk }
  if (a.accessories) out.accessories = a.accessories
  if (a.satisfaction) out.satisfaction = a.satisfaction
  if (a.satisfaction === 'dissatisfied' && a.reasons?.length) out.reasons = [...a.reasons]
  if (a.comments?.trim()) out.comments = a.comments.trim()
  return out
}

/** The customer's acceptance and drawn signature (a PNG, stored by hash). */
export function sign(t: Ticket, acceptance: Acceptance, signerName: string, signature: NewFile): Promise<void> {
  return write(
    [
      {
        name: 'ticket.sign',
        args: {
          id: t.id,
          acceptance: cleanAcceptance(acceptance),
          signatureHash: signature.hash,
          signerName: signerName.trim() || undefined,
        },
      },
    ],
    [signature],
  )
}

/** The photo of the same content signed on paper (R-TKT-7). */
export function signPaper(t: Ticket, photo: NewFile, acceptance: Acceptance): Promise<void> {
  return write(
    [{ name: 'ticket.signPaper', args: { id: t.id, photoHash: photo.hash, acceptance: cleanAcceptance(acceptance) } }],
    [photo],
  )
}

/** What the ticket's checklist lacks: the keys of items with no answer. */
export function unanswered(cl: Checklist): string[] {
  const out: string[] = []
  for (const s of cl.template.sections) {
    for (const it of s.items) if (!cl.answers[it.key]) out.push(it.key)
  }
  return out
}
