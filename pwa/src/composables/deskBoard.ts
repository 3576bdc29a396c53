import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import { deskApi, type Board, type Conflict } from '@/api/desk'
import { eventVersion, groupAssigned, groupInProgress, columnCounts } from './deskFormat'
import { errorMessage } from './useFieldErrors'

export type LiveStatus = 'connecting' | 'live' | 'offline'

/** How often the page asks again when the event stream is down. */
export const POLL_MS = 30_000

/**
 * Follows the server's change feed (GET /api/events): `onChange` runs with
 * each new version. EventSource reconnects by itself; while it is down the
 * page polls instead.
 */
export function useLiveEvents(onChange: (version: number) => void, opts: { pollMs?: number } = {}) {
  const status = ref<LiveStatus>('connecting')
  let es: EventSource | null = null
  let poll: ReturnType<typeof setInterval> | undefined
  let stopped = false

  function startPolling() {
    if (poll || stopped) return
    poll = setInterval(() => onChange(-1), opts.pollMs ?? POLL_MS)
  }
  function stopPolling() {
    clearInterval(poll)
    poll = undefined
  }

  function connect() {
    if (typeof EventSource === 'undefined') {
      status.value = 'offline'
      startPolling()
      return
    }
    es = new EventSource(deskApi.eventsUrl, { withCredentials: true })
    es.onopen = () => {
      status.value = 'live'
      stopPolling()
    }
    es.onmessage = (ev: MessageEvent) => {
      const v = eventVersion(ev.data)
      if (v !== null) onChange(v)
    }
    es.onerror = () => {
      if (!es) return
      // CLOSED: the browser gave up (a 401, the server said no); CONNECTING:
      // it retries by itself.
      if (es.readyState === 2) {
        status.value = 'offline'
        es.close()
        es = null
        startPolling()
        if (!stopped) setTimeout(() => !stopped && !es && connect(), opts.pollMs ?? POLL_MS)
      } else {
        status.value = 'connecting'
        startPolling()
      }
    }
  }

  function stop() {
    stopped = true
    es?.close()
    es = null
    stopPolling()
  }

  connect()
  onScopeDispose(stop)
  return { status, stop }
}

/**
 * Runs `load` now and again whenever asked, never two at once: a request
 * made while one is running runs once after it.
 */
export function serialLoader(load: () => Promise<void>) {
  let running: Promise<void> | null = null
  let again = false
  async function run(): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await load()
        } while (again)
      } finally {
        running = null
      }
    })()
    return running
  }
  return run
}

/** The dispatch board, refreshed live (R-TKT-2). */
export function useDispatchBoard(opts: { live?: boolean } = {}) {
  const board = shallowRef<Board | null>(null)
  const loading = ref(false)
  const error = ref('')

  const reload = serialLoader(async () => {
    loading.value = true
    try {
      board.value = await deskApi.board()
      error.value = ''
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  })

  const live = opts.live === false ? null : useLiveEvents((v) => {
    if (v < 0 || !board.value || v !== board.value.version) void reload()
  })

  const counts = computed(() => (board.value ? columnCounts(board.value) : null))
  const assignedGroups = computed(() => (board.value ? groupAssigned(board.value.assigned, board.value.technicians) : []))
  const inProgressGroups = computed(() => (board.value ? groupInProgress(board.value.inProgress) : []))
  const specialists = computed(() => board.value?.technicians.filter((t) => t.specialist) ?? [])

  return {
    board,
    loading,
    error,
    reload,
    liveStatus: live?.status ?? ref<LiveStatus>('offline'),
    counts,
    assignedGroups,
    inProgressGroups,
    specialists,
  }
}

/** The open conflicts, with the ticket each is about. */
export function useConflicts() {
  const items = shallowRef<Conflict[]>([])
  const loading = ref(false)
  const error = ref('')
  const tickets = ref<Record<string, { number: string; customerName: string; siteName: string }>>({})
  /** User id → name: conflicts come from technicians' phones. */
  const names = ref<Record<string, string>>({})

  async function reload() {
    loading.value = true
    try {
      const [list, board] = await Promise.all([deskApi.conflicts(), deskApi.board().catch(() => null)])
      items.value = list.items
      if (board) names.value = Object.fromEntries(board.technicians.map((x) => [x.id, x.name]))
      error.value = ''
      const missing = [...new Set(items.value.map((k) => k.ticketId).filter((id): id is string => !!id))].filter(
        (id) => !tickets.value[id],
      )
      const found = await Promise.all(missing.map((id) => deskApi.ticket(id).catch(() => null)))
      const next = { ...tickets.value }
      for (const d of found) {
        if (d) next[d.ticket.id] = { number: d.ticket.number, customerName: d.ticket.customerName, siteName: d.ticket.siteName }
      }
      tickets.value = next
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function resolve(id: string, choice: 'kept' | 'restored') {
    await deskApi.resolveConflict(id, choice)
    items.value = items.value.filter((k) => k.id !== id)
  }

  return { items, loading, error, tickets, names, reload, resolve }
}
