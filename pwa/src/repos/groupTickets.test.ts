import { describe, expect, it } from 'vitest'
import type { Ticket } from '@/api/field'
import { todayInShanghai } from '@/composables/archiveFormat'
import { groupTickets, type TicketCard } from './tickets'

const card = (number: string, fields: Partial<Ticket>): TicketCard => ({
  ticket: { id: number, number, state: 'assigned', priority: 'normal', updated: '2026-11-25T10:00:00Z', ...fields } as Ticket,
  pending: 0,
})

describe('groupTickets', () => {
  // 00:08 on 26 November in Shenzhen, still the 25th in UTC.
  const now = new Date('2026-11-25T16:08:00Z')

  it('counts days in Shenzhen whatever the phone’s zone', () => {
    expect(todayInShanghai(now)).toBe('2026-11-26')
    const g = groupTickets(
      [
        card('LL-1', { plannedDate: '2026-11-26' }),
        card('LL-2', { plannedDate: '2026-11-27' }),
        card('LL-3', { plannedDate: '2026-11-27', appointment: { at: '2026-11-26T01:00:00Z', method: 'phone' } }),
        card('LL-4', { plannedDate: '2026-11-25' }),
        card('LL-5', { plannedDate: '2026-11-26', state: 'signed' }),
      ],
      now,
    )
    expect(g.today.map((c) => c.ticket.number)).toEqual(['LL-4', 'LL-3', 'LL-1'])
    expect(g.upcoming.map((c) => c.ticket.number)).toEqual(['LL-2'])
    expect(g.done.map((c) => c.ticket.number)).toEqual(['LL-5'])
  })

  it('files an appointment by its day in Shenzhen', () => {
    // 23:30 UTC on the 26th is 07:30 on the 27th in Shenzhen.
    const g = groupTickets([card('LL-6', { appointment: { at: '2026-11-26T23:30:00Z', method: 'phone' } })], now)
    expect(g.upcoming.map((c) => c.ticket.number)).toEqual(['LL-6'])
  })
})
