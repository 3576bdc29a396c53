// The service desk's side of the API: the dispatch board and its live
// events, opening a 联络单, assigning and escalating, the ticket with its
// timeline and conflicts, the callback queue, monthly statistics and their
// publications, and the caller-id lookup of the archive. Every shape comes
// from the generated schema, narrowed here where the spec types an
// enumeration as a plain string; the ticket's own record types are the
// ones the field client uses (api/field.ts).
import { request } from './client'
import { isApiError } from './errors'
import type { components } from './schema'
import type {
  Checklist,
  Conflict,
  CustomerType,
  DissatisfactionReason,
  Satisfaction,
  Ticket,
  TicketState,
} from './field'
import type { System } from './types'

export {
  CUSTOMER_TYPES,
  DISSATISFACTION_REASONS,
  NOT_DONE_REASONS,
  SATISFACTIONS,
  TICKET_STATES,
} from './field'
export type {
  Acceptance,
  Checklist,
  ChecklistAnswer,
  ChecklistItem,
  Conflict,
  CustomerType,
  DissatisfactionReason,
  NotDoneReason,
  ResultStatus,
  Satisfaction,
  StateEntry,
  Ticket,
  TicketState,
} from './field'

type S = components['schemas']
type Override<T, U> = Omit<T, keyof U> & U

export const PRIORITIES = ['normal', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

/** What a callback may record as satisfaction: a level, or '' for 不表态. */
export type CallbackSatisfaction = Satisfaction | ''

/** A ticket as the board and the queues show it. */
export type TicketSummary = Override<
  S['SyncTicketSummary'],
  {
    state: TicketState
    system: System
    customerType: CustomerType
    priority: Priority
    satisfaction?: Satisfaction
    result?: 'done' | 'not_done'
  }
>

export type TechnicianLoad = Override<S['SyncTechnicianLoad'], { skills: System[] }>

export type Board = Override<
  S['SyncBoard'],
  {
    new: TicketSummary[]
    escalated: TicketSummary[]
    assigned: TicketSummary[]
    inProgress: TicketSummary[]
    returned: TicketSummary[]
    reopened: TicketSummary[]
    technicians: TechnicianLoad[]
  }
>

export interface TicketDetail {
  ticket: Ticket
  checklists: Checklist[]
  conflicts: Conflict[]
}

export type TimelineEntry = S['SyncTimelineEntry']
export type CallbackRecord = Override<
  S['Callback'],
  { satisfaction?: Satisfaction; reasons?: DissatisfactionReason[] }
>
export type CallbackQueue = Override<S['CallbackQueue'], { items: TicketSummary[] }>
export type Reminders = Override<
  S['SyncReminders'],
  { undispatched: TicketSummary[]; unscheduled: TicketSummary[]; needNextVisit: TicketSummary[] }
>

/** One technician's line of a month: levels keyed by satisfaction, '' = 不表态. */
export type TechMonth = Override<
  S['TechMonth'],
  { levels: Partial<Record<CallbackSatisfaction, number>>; reasons: Partial<Record<DissatisfactionReason, number>> }
>
export type MonthlyStats = Override<S['MonthlyStats'], { rows: TechMonth[] }>
export type PublishedMonth = Override<S['PublishedMonth'], { rows: TechMonth[] }>
export type ScoreTable = S['ScoreTable']

export type OpenTicketArgs = Override<S['SyncOpenTicketArgs'], { system: System; priority?: Priority }>
export type AssignBody = Omit<S['SyncAssignArgs'], 'id'>
export type CallbackBody = {
  reached: boolean
  solved: boolean
  satisfaction?: CallbackSatisfaction
  reasons?: DissatisfactionReason[]
  comments?: string
}

/** GET /api/contacts?phone= — the caller-id lookup. */
export type ContactHit = S['SyncContactItem']
export type ContactHits = Override<S['SyncContactList'], { items: ContactHit[] }>
export type CoverageAnswer = Override<
  S['SyncCoverageAnswer'],
  { kind: 'warranty' | 'annual' | 'per_visit' | 'none'; system: System }
>

/** POST /api/tickets/:id/share — the customer's copy (a colleague's route). */
export interface ShareLink {
  url: string
}

const enc = encodeURIComponent

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** A route that is not there (yet): the PDF routes land separately. */
export function isMissingRoute(e: unknown): boolean {
  return isApiError(e) && (e.status === 404 || e.status === 405 || e.status === 501) && e.code !== 'not_found'
}

/**
 * The board with every list present: the server sends an empty list as
 * null (a Go nil slice), though its schema says an array.
 */
export function normalizeBoard(b: Board): Board {
  const list = <T>(v: T[] | null | undefined): T[] => v ?? []
  return {
    ...b,
    new: list(b.new),
    escalated: list(b.escalated),
    assigned: list(b.assigned),
    inProgress: list(b.inProgress),
    returned: list(b.returned),
    reopened: list(b.reopened),
    technicians: list(b.technicians).map((t) => ({ ...t, skills: list(t.skills) })),
  }
}

const ticketPath = (id: string, action = '') => `/api/tickets/${enc(id)}${action ? `/${action}` : ''}`

export const deskApi = {
  board: async () => normalizeBoard(await request<Board>('GET', '/api/dispatch/board')),
  reminders: () => request<Reminders>('GET', '/api/reminders'),
  /** Server-sent events: `data: {"version":N}` whenever data changes. */
  eventsUrl: '/api/events',

  ticket: (id: string) => request<TicketDetail>('GET', ticketPath(id)),
  timeline: (id: string) => request<{ items: TimelineEntry[] }>('GET', ticketPath(id, 'timeline')),
  open: (body: OpenTicketArgs) => request<Ticket>('POST', '/api/tickets', { body }),
  assign: (id: string, body: AssignBody) => request<Ticket>('POST', ticketPath(id, 'assign'), { body }),
  escalate: (id: string, note: string) => request<Ticket>('POST', ticketPath(id, 'escalate'), { body: { note } }),
  plan: (id: string, plannedDate: string, baseRev?: number) =>
    request<Ticket>('POST', ticketPath(id, 'plan'), { body: { plannedDate, baseRev } }),
  cancel: (id: string, note: string) => request<Ticket>('POST', ticketPath(id, 'cancel'), { body: { note } }),
  filed: (id: string, note = '') => request<Ticket>('POST', ticketPath(id, 'filed'), { body: { note } }),
  callback: (id: string, body: CallbackBody) => request<Ticket>('POST', ticketPath(id, 'callback'), { body }),
  archive: (id: string, note = '') => request<Ticket>('POST', ticketPath(id, 'archive'), { body: { note } }),

  conflicts: () => request<{ items: Conflict[] }>('GET', '/api/conflicts'),
  resolveConflict: (id: string, choice: 'kept' | 'restored') =>
    request<Conflict>('POST', `/api/conflicts/${enc(id)}/resolve`, { body: { choice } }),

  callbacks: () => request<CallbackQueue>('GET', '/api/callbacks'),

  monthly: (month: string) => request<MonthlyStats>('GET', `/api/stats/monthly${query({ month })}`),
  publish: (month: string, note: string) =>
    request<PublishedMonth>('POST', `/api/stats/monthly/${enc(month)}/publish`, { body: note ? { note } : {} }),
  published: (month: string) => request<{ items: PublishedMonth[] }>('GET', `/api/stats/published${query({ month })}`),
  scoreTable: () => request<ScoreTable>('GET', '/api/settings/score-table'),
  statsXlsxUrl: (month: string, version?: number) => `/api/stats/monthly.xlsx${query({ month, version })}`,

  contactsByPhone: (phone: string, signal?: AbortSignal) =>
    request<ContactHits>('GET', `/api/contacts${query({ phone, pageSize: 20 })}`, { signal }),
  coverage: (siteId: string, system: System) =>
    request<CoverageAnswer>('GET', `/api/coverage${query({ siteId, system })}`),

  blobUrl: (hash: string) => `/api/blobs/${enc(hash)}`,
  formPdfUrl: (id: string) => ticketPath(id, 'form.pdf'),
  share: (id: string) => request<ShareLink>('POST', ticketPath(id, 'share')),
}

export type DeskApi = typeof deskApi
