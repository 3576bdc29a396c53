// The colour of each ticket state's tag: blue while waiting on the
// technician, amber on the way and on site, green once signed, grey when
// closed without service.
import type { TicketState } from '@/repos/tickets'

const COLORS: Record<TicketState, { color: string; text: string }> = {
  new: { color: '#f2f3f5', text: '#646566' },
  escalated: { color: '#fff1f0', text: '#cf1322' },
  assigned: { color: '#e8f0fe', text: '#1d4ed8' },
  accepted: { color: '#e8f0fe', text: '#1d4ed8' },
  appointed: { color: '#efeafe', text: '#5b21b6' },
  en_route: { color: '#fff4e5', text: '#b54708' },
  on_site: { color: '#fff4e5', text: '#b54708' },
  resulted: { color: '#e6f7f9', text: '#0e7490' },
  signed: { color: '#e7f8ee', text: '#067647' },
  returned: { color: '#e7f8ee', text: '#067647' },
  called_back: { color: '#e7f8ee', text: '#067647' },
  reopened: { color: '#fff1f0', text: '#cf1322' },
  archived: { color: '#f2f3f5', text: '#646566' },
  cancelled: { color: '#f2f3f5', text: '#969799' },
}

export function stateColor(s: TicketState): { color: string; text: string } {
  return COLORS[s] ?? COLORS.new
}
