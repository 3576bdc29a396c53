// How tickets read on the desk: state colours and board columns, scores
// with their sign, rates and hours, the callback's urgency, the customer
// type a coverage gives, technicians ranked for a ticket, and the board's
// groupings. Pure functions, so views and tests share them.
import type {
  Board,
  CallbackSatisfaction,
  CustomerType,
  ScoreTable,
  TechnicianLoad,
  TicketState,
  TicketSummary,
} from '@/api/desk'
import type { System } from '@/api/types'

/** Element Plus tag types. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/** The server's civil dates are Shenzhen's. */
export const DESK_ZONE = 'Asia/Shanghai'

/** The colour of a state: what waits for the desk stands out. */
export function stateTagType(state: TicketState): TagType {
  switch (state) {
    case 'new':
    case 'returned':
      return 'warning'
    case 'escalated':
    case 'reopened':
      return 'danger'
    case 'signed':
    case 'called_back':
      return 'success'
    case 'archived':
    case 'cancelled':
      return 'info'
    default:
      return 'primary'
  }
}

/** The board's columns, left to right. */
export const BOARD_COLUMNS = ['new', 'escalated', 'assigned', 'inProgress', 'returned'] as const
export type BoardColumn = (typeof BOARD_COLUMNS)[number]

/** The column a ticket of this state sits in; closed tickets sit in none. */
export function columnOf(state: TicketState): BoardColumn | null {
  switch (state) {
    case 'new':
    case 'reopened':
      return 'new'
    case 'escalated':
      return 'escalated'
    case 'assigned':
    case 'accepted':
    case 'appointed':
      return 'assigned'
    case 'en_route':
    case 'on_site':
    case 'resulted':
    case 'signed':
      return 'inProgress'
    case 'returned':
      return 'returned'
    default:
      return null
  }
}

/** The field states of the 进行中 column, in the order work goes. */
export const FIELD_STATES = ['en_route', 'on_site', 'resulted', 'signed'] as const satisfies readonly TicketState[]

/** The actions the desk (or the manager) may take on a ticket in a state (R-TKT-STATES). */
export interface TicketActions {
  assign: boolean
  reassign: boolean
  escalate: boolean
  plan: boolean
  cancel: boolean
  filed: boolean
  callback: boolean
  archive: boolean
  followUp: boolean
}

export function ticketActions(
  t: { state: TicketState; signature?: { paper?: boolean; filed?: boolean } },
  role: 'desk' | 'manager' = 'desk',
): TicketActions {
  const s = t.state
  const held = s === 'assigned' || s === 'accepted' || s === 'appointed'
  const open = !['archived', 'cancelled', 'reopened', 'called_back'].includes(s)
  return {
    assign: s === 'new' || (s === 'escalated' && role === 'manager'),
    reassign: held,
    escalate: s === 'new' && role === 'desk',
    plan: open && s !== 'returned' && s !== 'signed',
    cancel: s === 'new' || s === 'escalated' || s === 'assigned',
    filed: s === 'signed' && !!t.signature?.paper && !t.signature.filed && role === 'desk',
    callback: s === 'returned' && role === 'desk',
    archive: s === 'called_back' && role === 'desk',
    followUp: s === 'reopened' && role === 'desk',
  }
}

/** A score with its sign, as the review sheet prints it: +5, −5, 0. */
export function formatScore(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  if (n > 0) return `+${n}`
  if (n < 0) return `−${Math.abs(n)}`
  return '0'
}

/** An average score to two places, signed like a score: 4.33, −1.50. */
export function formatAverage(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  const s = Math.abs(n).toFixed(2)
  return n < 0 ? `−${s}` : s
}

/** A share as a percentage: 0.75 → 75%. */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—'
  return `${Math.round(r * 100)}%`
}

/** Hours to one place; 0 means unknown. */
export function formatHours(h: number | null | undefined): string {
  if (!h || !Number.isFinite(h)) return '—'
  return h.toFixed(1)
}

/** The score a satisfaction level earns under the table (R-SAT-1); '' is 不表态. */
export function scoreOf(level: CallbackSatisfaction | undefined, table: ScoreTable): number {
  switch (level) {
    case 'very_satisfied':
      return table.verySatisfied
    case 'satisfied':
      return table.satisfied
    case 'neutral':
      return table.neutral
    case 'dissatisfied':
      return table.dissatisfied
    default:
      return table.noOpinion
  }
}

/** The source's table: 很满意 5, 满意 3, 一般 2, 不表态 1, 不满意 −5. */
export const DEFAULT_SCORE_TABLE: ScoreTable = { verySatisfied: 5, satisfied: 3, neutral: 2, noOpinion: 1, dissatisfied: -5 }

/** The levels in the form's order, 不表态 ('') last. */
export const SCORE_LEVELS = ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', ''] as const satisfies readonly CallbackSatisfaction[]

/** The customer type a coverage gives (R-TKT-1): 《联络函》 wins, no contract is billed per visit. */
export function customerTypeFor(coverage: string | undefined, liaison: boolean): CustomerType {
  if (liaison) return 'liaison'
  if (coverage === 'warranty') return 'warranty'
  if (coverage === 'annual') return 'annual'
  return 'per_visit'
}

/** The civil date (YYYY-MM-DD) of an instant in Shenzhen. */
export function civilDate(iso: string | Date, zone = DESK_ZONE): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  if (Number.isNaN(d.getTime())) return ''
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** Whole days from one civil date to another (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`)
  const b = Date.parse(`${to}T00:00:00Z`)
  if (Number.isNaN(a) || Number.isNaN(b)) return 0
  return Math.round((b - a) / 86_400_000)
}

export type CallbackUrgency = { kind: 'today' } | { kind: 'overdue'; days: number } | { kind: 'unknown' }

/**
 * How urgent a returned form's callback is (R-TKT-8: the same day): returned
 * today, or overdue by some days.
 */
export function callbackUrgency(returnedAt: string | undefined, today: string): CallbackUrgency {
  if (!returnedAt) return { kind: 'unknown' }
  const days = daysBetween(civilDate(returnedAt), today)
  return days > 0 ? { kind: 'overdue', days } : { kind: 'today' }
}

/** "2026-11" of a civil date. */
export function monthOf(date: string): string {
  return date.slice(0, 7)
}

/** The month n months from "2026-11": shiftMonth('2026-11', -1) = '2026-10'. */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  if (!y || !m) return month
  const i = y * 12 + (m - 1) + n
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
}

/** How busy a technician is today: under 2 visits light, under 4 busy, else full. */
export function loadLevel(today: number): 'light' | 'busy' | 'full' {
  if (today < 2) return 'light'
  if (today < 4) return 'busy'
  return 'full'
}

export interface Candidate extends TechnicianLoad {
  /** Has the ticket's system among their skills. */
  skilled: boolean
  /** May be chosen as lead: the desk dispatches to specialists only (R-TKT-2). */
  eligible: boolean
}

/**
 * The technicians for a ticket's lead, best first: eligible before not,
 * skilled in the system before not, then the lighter day, the fewer open
 * tickets, the name.
 */
export function rankTechnicians(techs: readonly TechnicianLoad[], system: System, role: 'desk' | 'manager'): Candidate[] {
  const out = techs.map((t) => ({
    ...t,
    skilled: t.skills.includes(system),
    eligible: role === 'manager' || t.specialist,
  }))
  return out.sort(
    (a, b) =>
      Number(b.eligible) - Number(a.eligible) ||
      Number(b.skilled) - Number(a.skilled) ||
      a.today - b.today ||
      a.open - b.open ||
      a.name.localeCompare(b.name, 'zh-CN'),
  )
}

export interface DateGroup {
  /** YYYY-MM-DD, or '' for tickets with no planned date. */
  date: string
  items: TicketSummary[]
}

export interface TechnicianGroup {
  id: string
  name: string
  tech: TechnicianLoad | null
  count: number
  dates: DateGroup[]
}

function byDate(items: readonly TicketSummary[]): DateGroup[] {
  const m = new Map<string, TicketSummary[]>()
  for (const t of items) {
    const d = t.plannedDate ?? ''
    const l = m.get(d)
    if (l) l.push(t)
    else m.set(d, [t])
  }
  return [...m.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([date, list]) => ({ date, items: list.sort((x, y) => x.number.localeCompare(y.number)) }))
}

/**
 * The 已派单 column: per lead technician (the board's order: by name),
 * then per planned date. Technicians with nothing assigned are left out.
 */
export function groupAssigned(items: readonly TicketSummary[], techs: readonly TechnicianLoad[]): TechnicianGroup[] {
  const byLead = new Map<string, TicketSummary[]>()
  for (const t of items) {
    const k = t.lead ?? ''
    const l = byLead.get(k)
    if (l) l.push(t)
    else byLead.set(k, [t])
  }
  const out: TechnicianGroup[] = []
  for (const tech of techs) {
    const list = byLead.get(tech.id)
    if (!list) continue
    byLead.delete(tech.id)
    out.push({ id: tech.id, name: tech.name, tech, count: list.length, dates: byDate(list) })
  }
  // Leads the board no longer lists (a disabled account) still show.
  for (const [id, list] of byLead) {
    out.push({ id, name: list[0]?.leadName ?? '', tech: null, count: list.length, dates: byDate(list) })
  }
  return out
}

export interface StateGroup {
  state: TicketState
  items: TicketSummary[]
}

/** The 进行中 column, per field state in the order work goes. */
export function groupInProgress(items: readonly TicketSummary[]): StateGroup[] {
  return FIELD_STATES.map((state) => ({ state, items: items.filter((t) => t.state === state) })).filter(
    (g) => g.items.length > 0,
  )
}

/** How many tickets each column holds (the 待派单 column counts 需跟进 too). */
export function columnCounts(b: Board): Record<BoardColumn, number> {
  return {
    new: b.new.length + b.reopened.length,
    escalated: b.escalated.length,
    assigned: b.assigned.length,
    inProgress: b.inProgress.length,
    returned: b.returned.length,
  }
}

/** Reads `{"version":N}` of a server-sent event; null for anything else. */
export function eventVersion(data: unknown): number | null {
  if (typeof data !== 'string') return null
  try {
    const v = (JSON.parse(data) as { version?: unknown }).version
    return typeof v === 'number' && Number.isFinite(v) ? v : null
  } catch {
    return null
  }
}

/** The mutations the timeline names; others show as they are. */
export const TIMELINE_MUTATIONS = [
  'ticket.open',
  'ticket.assign',
  'ticket.escalate',
  'ticket.plan',
  'ticket.update',
  'ticket.setAppointment',
  'ticket.cancel',
  'ticket.confirmFiled',
  'ticket.callback',
  'ticket.archive',
  'ticket.accept',
  'ticket.callAhead',
  'ticket.depart',
  'ticket.arrive',
  'ticket.addWork',
  'ticket.addPart',
  'ticket.swapDevice',
  'ticket.addPhoto',
  'ticket.setResult',
  'ticket.sign',
  'ticket.signPaper',
  'ticket.return',
  'conflict.resolve',
] as const

/** The i18n key of a mutation's name under desk.timeline.mutation, or null. */
export function mutationKey(name: string): string | null {
  return (TIMELINE_MUTATIONS as readonly string[]).includes(name) ? name.replace('.', '_') : null
}

/** The fields a conflict can be about, with a label in desk.conflicts.field. */
export const CONFLICT_FIELDS = ['appointment', 'result', 'plannedDate', 'priority', 'assignment', 'requested', 'contact'] as const

/** A conflict's value as JSON the desk can read; objects by their parts. */
export function conflictParts(value: unknown): Array<[string, string]> {
  if (value === null || value === undefined || value === '') return []
  if (typeof value !== 'object') return [['', String(value)]]
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])
}

/** today / tomorrow / yesterday of a civil date, else null. */
export function relativeDay(date: string | undefined, today: string): 'today' | 'tomorrow' | 'yesterday' | null {
  if (!date || !today) return null
  switch (daysBetween(today, date)) {
    case 0:
      return 'today'
    case 1:
      return 'tomorrow'
    case -1:
      return 'yesterday'
    default:
      return null
  }
}

/** "11-25" of a civil date. */
export function monthDay(date: string | undefined): string {
  return date && date.length >= 10 ? date.slice(5, 10) : ''
}

/** "11-25 14:00" of an instant, in Shenzhen. */
export function shortDateTime(iso: string | undefined, zone = DESK_ZONE): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

/** "2026-11-25 14:00:05" of an instant, in Shenzhen: the timeline's precision. */
export function fullDateTime(iso: string | undefined, zone = DESK_ZONE): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d)
  return `${civilDate(d, zone)} ${time}`
}

