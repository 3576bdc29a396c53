// What the service desk's pages use: the desk's types and lists (views do
// not import the API client), and its composables.
export {
  CUSTOMER_TYPES,
  DISSATISFACTION_REASONS,
  NOT_DONE_REASONS,
  PRIORITIES,
  SATISFACTIONS,
  TICKET_STATES,
  deskApi,
  isMissingRoute,
} from '@/api/desk'
export { isApiError } from '@/api/errors'
export type {
  Acceptance,
  Board,
  CallbackBody,
  CallbackSatisfaction,
  Checklist,
  ChecklistAnswer,
  ChecklistItem,
  Conflict,
  ContactHit,
  CustomerType,
  DissatisfactionReason,
  PublishedMonth,
  Priority,
  Satisfaction,
  ScoreTable,
  StateEntry,
  TechMonth,
  TechnicianLoad,
  Ticket,
  TicketDetail,
  TicketState,
  TicketSummary,
  TimelineEntry,
} from '@/api/desk'
export { SYSTEMS } from '@/api/types'
export type { System } from '@/api/types'
export * from './deskFormat'
export * from './deskBoard'
export * from './deskTicket'
export * from './deskIntake'
export * from './deskStats'
