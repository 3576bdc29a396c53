// The technician's side of the API: the sync protocol (docs/sync-protocol.md)
// and the records it carries. Every shape comes from the generated schema;
// where the server's spec is looser than what it sends (enums typed as plain
// strings, a civil date typed as an object, JSON values typed as base64
// "byte" strings) the type narrows it here, in one place.
import { request } from './client'
import type { components } from './schema'
import type { LoginResponse, Me } from './types'

type S = components['schemas']
type Override<T, U> = Omit<T, keyof U> & U

/** R-TKT-STATES, in flow order. */
export const TICKET_STATES = [
  'new',
  'escalated',
  'assigned',
  'accepted',
  'appointed',
  'en_route',
  'on_site',
  'resulted',
  'signed',
  'returned',
  'called_back',
  'reopened',
  'archived',
  'cancelled',
] as const
export type TicketState = (typeof TICKET_STATES)[number]

export const CUSTOMER_TYPES = ['warranty', 'annual', 'per_visit', 'liaison'] as const
export type CustomerType = (typeof CUSTOMER_TYPES)[number]

export const RESULT_STATUSES = ['done', 'not_done'] as const
export type ResultStatus = (typeof RESULT_STATUSES)[number]
export const NOT_DONE_REASONS = ['needs_repair', 'needs_contact', 'other'] as const
export type NotDoneReason = (typeof NOT_DONE_REASONS)[number]

export const ACCESSORIES = ['yes', 'no', 'none'] as const
export type Accessories = (typeof ACCESSORIES)[number]
export const SATISFACTIONS = ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]
export const DISSATISFACTION_REASONS = ['attitude', 'skill', 'response'] as const
export type DissatisfactionReason = (typeof DISSATISFACTION_REASONS)[number]

export const CALL_METHODS = ['phone', 'wechat', 'sms'] as const
export type CallMethod = (typeof CALL_METHODS)[number]

export type TicketResult = Override<S['TicketResult'], { status: ResultStatus; reason?: NotDoneReason }>
export type Acceptance = Override<
  S['Acceptance'],
  { accessories?: Accessories; satisfaction?: Satisfaction; reasons?: DissatisfactionReason[] }
>
export type Appointment = S['Appointment']
export type Call = S['Call']
export type WorkRecord = S['WorkRecord']
export type PartUsed = S['PartUsed']
export type DeviceSwap = S['DeviceSwap']
export type Photo = S['Photo']
export type Signature = S['Signature']
export type StateEntry = Override<S['StateEntry'], { state: TicketState }>

/** A 技术服务联络单 as the server sends it. */
export type Ticket = Override<
  S['Ticket'],
  {
    state: TicketState
    customerType: CustomerType
    /** YYYY-MM-DD, or absent */
    plannedDate?: string
    result?: TicketResult
    acceptance?: Acceptance
    history: StateEntry[]
  }
>

export type ChecklistOption = S['ChecklistOption']
export type ChecklistCounter = S['ChecklistCounter']
export type ChecklistItem = Override<S['ChecklistItem'], { kind: 'choice' | 'count' | 'text' }>
export type ChecklistSection = Override<S['ChecklistSection'], { items: ChecklistItem[] }>
export type ChecklistTemplate = Override<S['ChecklistTemplate'], { sections: ChecklistSection[] }>
export type ChecklistAnswer = S['ChecklistAnswer']
/** A maintenance report (定期维护单); its number is "" until the server issues it. */
export type Checklist = Override<
  S['SyncChecklist'],
  { template: ChecklistTemplate; answers: Record<string, ChecklistAnswer> }
>

export type Customer = S['Customer']
export type Site = S['Site']
export type Contact = S['Contact']
export type Equipment = Override<S['SyncEquipmentRecord'], { id: string; siteId: string; installDate?: string }>
export type Conflict = Override<S['SyncConflict'], { kept?: unknown; lost?: unknown }>

export type PullRequest = S['SyncPullRequest']
export type PullOp = 'put' | 'delete' | 'evict'
export type PullChange = Override<S['SyncPullChange'], { op: PullOp; data?: unknown }>
export type PullResponse = Override<S['SyncPullResponse'], { changes: PullChange[] }>

export type PushMutation = Override<S['SyncPushMutation'], { args: Record<string, unknown> }>
export type PushRequest = Override<S['SyncPushRequest'], { mutations: PushMutation[] }>
export type PushResult = Override<S['PushResultBody'], { status: 'applied' | 'conflict' | 'rejected' }>
export type PushResponse = Override<S['PushResponseBody'], { results: PushResult[] }>
export type FileHash = S['FileHash']

/** The version of the mutation vocabulary this client speaks. */
export const SCHEMA_VERSION = 1

/**
 * The calls the sync engine makes. A 401 is answered to the engine (it asks
 * for the password and replays), never turned into a redirect to login.
 */
export const syncApi = {
  push: (body: PushRequest) => request<PushResponse>('POST', '/api/sync/push', { body, expect401: true }),
  pull: (body: PullRequest) => request<PullResponse>('POST', '/api/sync/pull', { body, expect401: true }),
  upload: (blob: Blob) =>
    request<FileHash>('POST', '/api/sync/files', { body: blob, contentType: blob.type, expect401: true }),
  me: () => request<Me>('GET', '/api/auth/me', { expect401: true }),
  login: (login: string, password: string) =>
    request<LoginResponse>('POST', '/api/auth/login', { body: { login, password }, expect401: true }),
}

export type SyncApi = typeof syncApi
