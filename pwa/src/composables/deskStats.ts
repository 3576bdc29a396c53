import { computed, ref, shallowRef } from 'vue'
import {
  deskApi,
  type CallbackSatisfaction,
  type DissatisfactionReason,
  type PublishedMonth,
  type ScoreTable,
  type TechMonth,
  type TicketSummary,
} from '@/api/desk'
import { DEFAULT_SCORE_TABLE, SCORE_LEVELS } from './deskFormat'
import { errorMessage } from './useFieldErrors'

/** The same-day callback queue (R-TKT-8), oldest first, with the server's today. */
export function useCallbackQueue() {
  const items = shallowRef<TicketSummary[]>([])
  const today = ref('')
  const loading = ref(false)
  const error = ref('')
  const table = ref<ScoreTable>(DEFAULT_SCORE_TABLE)

  async function reload() {
    loading.value = true
    try {
      const q = await deskApi.callbacks()
      items.value = q.items
      today.value = q.today
      error.value = ''
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function loadTable() {
    table.value = await deskApi.scoreTable().catch(() => DEFAULT_SCORE_TABLE)
  }

  return { items, today, loading, error, table, reload, loadTable }
}

/** Totals of a month across technicians (people-tickets: a crew of two counts twice). */
export interface MonthTotals {
  technicians: number
  tickets: number
  total: number
  average: number
  fixRate: number
  dissatisfied: number
}

export function monthTotals(rows: readonly TechMonth[]): MonthTotals {
  const tickets = rows.reduce((n, r) => n + r.tickets, 0)
  const total = rows.reduce((n, r) => n + r.total, 0)
  const fixed = rows.reduce((n, r) => n + r.fixedFirstVisit, 0)
  return {
    technicians: rows.length,
    tickets,
    total,
    average: tickets ? Math.round((total / tickets) * 100) / 100 : 0,
    fixRate: tickets ? fixed / tickets : 0,
    dissatisfied: rows.reduce((n, r) => n + (r.levels.dissatisfied ?? 0), 0),
  }
}

/** A row's count at a level; '' is 不表态. */
export function levelCount(row: TechMonth, level: CallbackSatisfaction): number {
  return row.levels[level] ?? 0
}

/** The dissatisfaction reasons of a row, most frequent first. */
export function reasonCounts(row: TechMonth): Array<[DissatisfactionReason, number]> {
  return (Object.entries(row.reasons) as Array<[DissatisfactionReason, number]>)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
}

/** The chart series of the level distribution: one per level, a value per technician. */
export function levelSeries(rows: readonly TechMonth[]): Array<{ level: CallbackSatisfaction; data: number[] }> {
  return SCORE_LEVELS.map((level) => ({ level, data: rows.map((r) => levelCount(r, level)) }))
}

/**
 * The month's statistics (R-SAT-2): computed now, or a published version
 * (frozen), with every version of the month.
 */
export function useMonthlyStats(initialMonth: string) {
  const month = ref(initialMonth)
  const live = shallowRef<TechMonth[]>([])
  const versions = shallowRef<PublishedMonth[]>([])
  /** 0: computed now; n: published version n. */
  const version = ref(0)
  const loading = ref(false)
  const error = ref('')
  const publishing = ref(false)

  const shown = computed<TechMonth[]>(() => {
    if (!version.value) return live.value
    return versions.value.find((v) => v.version === version.value)?.rows ?? []
  })
  const current = computed(() => versions.value.find((v) => v.version === version.value) ?? null)
  const latest = computed(() => versions.value.reduce<PublishedMonth | null>((a, v) => (!a || v.version > a.version ? v : a), null))
  const totals = computed(() => monthTotals(shown.value))
  const xlsxUrl = computed(() => deskApi.statsXlsxUrl(month.value, version.value || undefined))

  async function reload() {
    loading.value = true
    const m = month.value
    try {
      const [stats, pubs] = await Promise.all([deskApi.monthly(m), deskApi.published(m)])
      if (m !== month.value) return
      live.value = stats.rows
      versions.value = [...pubs.items].sort((a, b) => b.version - a.version)
      if (version.value && !versions.value.some((v) => v.version === version.value)) version.value = 0
      error.value = ''
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  async function publish(note: string): Promise<PublishedMonth> {
    publishing.value = true
    try {
      const p = await deskApi.publish(month.value, note.trim())
      await reload()
      version.value = p.version
      return p
    } finally {
      publishing.value = false
    }
  }

  return { month, live, versions, version, shown, current, latest, totals, xlsxUrl, loading, error, publishing, reload, publish }
}
