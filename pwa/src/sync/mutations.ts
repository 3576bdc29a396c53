// The field's mutations (docs/sync-protocol.md, "The mutations of the
// field"): their names and arguments as the server reads them. The server's
// OpenAPI document does not describe mutation arguments, so they are typed
// here from the protocol page.
import type {
  Acceptance,
  CallMethod,
  ChecklistAnswer,
  TicketResult,
} from '@/api/field'

export interface MutationArgs {
  'ticket.accept': { id: string; baseRev?: number }
  'ticket.callAhead': {
    id: string
    callId: string
    calledAt: string
    method: CallMethod
    appointmentAt: string
    note?: string
    baseRev?: number
  }
  'ticket.depart': { id: string }
  'ticket.arrive': { id: string }
  'ticket.addWork': { id: string; workId: string; text: string }
  'ticket.addPart': { id: string; partId: string; name: string; model?: string; qty: number; note?: string }
  'ticket.swapDevice': {
    id: string
    swapId: string
    equipmentId: string
    oldSerial: string
    newSerial: string
    newModel?: string
  }
  'ticket.addPhoto': { id: string; photoId: string; hash: string; caption?: string }
  'checklist.start': { id: string; ticketId: string; templateId: string }
  'checklist.setItem': { id: string; answer: ChecklistAnswer }
  'checklist.setSummary': { id: string; summary: string }
  'ticket.setResult': { id: string; result: TicketResult; baseRev?: number }
  'ticket.sign': { id: string; acceptance: Acceptance; signatureHash: string; signerName?: string }
  'ticket.signPaper': { id: string; photoHash: string; acceptance: Acceptance }
}

export type MutationName = keyof MutationArgs

export const MUTATION_NAMES = [
  'ticket.accept',
  'ticket.callAhead',
  'ticket.depart',
  'ticket.arrive',
  'ticket.addWork',
  'ticket.addPart',
  'ticket.swapDevice',
  'ticket.addPhoto',
  'checklist.start',
  'checklist.setItem',
  'checklist.setSummary',
  'ticket.setResult',
  'ticket.sign',
  'ticket.signPaper',
] as const satisfies readonly MutationName[]

/** A mutation as the reducers and the outbox see it. */
export interface Mutation<N extends MutationName = MutationName> {
  name: N
  args: MutationArgs[N]
  deviceTime: string
}

/** Narrows a mutation by name. */
export function isMutation<N extends MutationName>(m: Mutation, name: N): m is Mutation<N> {
  return m.name === name
}

/** The content hashes a mutation refers to: they are uploaded first. */
export function filesOf(m: Mutation): string[] {
  if (isMutation(m, 'ticket.addPhoto')) return [m.args.hash]
  if (isMutation(m, 'ticket.sign')) return [m.args.signatureHash]
  if (isMutation(m, 'ticket.signPaper')) return [m.args.photoHash]
  return []
}

/** The ticket a mutation is about, when its arguments say so. */
export function ticketOf(m: Mutation): string | undefined {
  if (m.name.startsWith('ticket.')) return (m.args as { id: string }).id
  if (isMutation(m, 'checklist.start')) return m.args.ticketId
  return undefined
}
