import { computed, ref, shallowRef } from 'vue'
import { archiveApi, type CustomerDetail, type Equipment } from '@/api/archive'
import {
  deskApi,
  isMissingRoute,
  type AssignBody,
  type CallbackBody,
  type TechnicianLoad,
  type TicketDetail,
  type TimelineEntry,
} from '@/api/desk'
import { errorMessage } from './useFieldErrors'

/**
 * One ticket as the desk reads it: the ticket with its maintenance reports
 * and conflicts, its timeline, the names of the people in it, and the
 * archive's record of the equipment it concerns.
 */
export function useTicketDetail(id: () => string) {
  const detail = shallowRef<TicketDetail | null>(null)
  const timeline = shallowRef<TimelineEntry[]>([])
  const customer = shallowRef<CustomerDetail | null>(null)
  const technicians = shallowRef<TechnicianLoad[]>([])
  const loading = ref(false)
  const error = ref('')
  const notFound = ref(false)

  async function reload() {
    const tid = id()
    if (!tid) return
    loading.value = true
    try {
      const [d, tl] = await Promise.all([deskApi.ticket(tid), deskApi.timeline(tid).catch(() => ({ items: [] }))])
      detail.value = d
      timeline.value = tl.items
      error.value = ''
      notFound.value = false
      if (customer.value?.customer.id !== d.ticket.customerId) {
        customer.value = await archiveApi.customer(d.ticket.customerId).catch(() => null)
      }
      if (!technicians.value.length) {
        technicians.value = (await deskApi.board().catch(() => null))?.technicians ?? []
      }
    } catch (e) {
      notFound.value = (e as { status?: number }).status === 404
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** User id → name, from the timeline and the technicians. */
  const names = computed(() => {
    const m: Record<string, string> = {}
    for (const t of technicians.value) m[t.id] = t.name
    for (const e of timeline.value) if (e.userId && e.userName) m[e.userId] = e.userName
    const t = detail.value?.ticket
    if (t?.lead && t.leadName) m[t.lead] = t.leadName
    return m
  })

  const equipment = computed<Equipment[]>(() => {
    const ids = detail.value?.ticket.equipmentIds ?? []
    const all = customer.value?.equipment ?? []
    return ids.map((eid) => all.find((e) => e.id === eid)).filter((e): e is Equipment => !!e)
  })

  const equipmentById = computed(() => {
    const m: Record<string, Equipment> = {}
    for (const e of customer.value?.equipment ?? []) m[e.id] = e
    return m
  })

  return { detail, timeline, customer, technicians, names, equipment, equipmentById, loading, error, notFound, reload }
}

/** Assigns (or reassigns) a ticket, then sets its planned date when it changed. */
export async function assignTicket(
  id: string,
  body: AssignBody,
  plan?: { date: string; before: string | undefined },
) {
  let t = await deskApi.assign(id, body)
  if (plan && plan.date && plan.date !== plan.before) t = await deskApi.plan(id, plan.date, t.rev)
  return t
}

/** Records the callback (R-TKT-8): a level '' is 不表态 and sent as absent. */
export function callbackBody(form: CallbackBody): CallbackBody {
  const body: CallbackBody = { reached: form.reached, solved: form.reached ? form.solved : false }
  if (form.reached && form.satisfaction) body.satisfaction = form.satisfaction
  if (form.reached && form.satisfaction === 'dissatisfied' && form.reasons?.length) body.reasons = [...form.reasons]
  const c = form.comments?.trim()
  if (c) body.comments = c
  return body
}

export type ShareResult = { ok: true; url: string } | { ok: false; missing: boolean; message: string }

/** The customer's copy link; a server without the route yet answers missing. */
export async function shareTicket(id: string): Promise<ShareResult> {
  try {
    const r = await deskApi.share(id)
    const url = new URL(r.url, window.location.origin).toString()
    return { ok: true, url }
  } catch (e) {
    return { ok: false, missing: isMissingRoute(e), message: errorMessage(e) }
  }
}

export type PdfCheck = { ok: true } | { ok: false; missing: boolean; message: string }

/**
 * Whether the printable form can be had: ask before opening a tab on an
 * error page (a server without the route, or without a CJK font: 503
 * forms.no_font, whose message says so).
 */
export async function formPdfAvailable(id: string): Promise<PdfCheck> {
  try {
    const res = await fetch(deskApi.formPdfUrl(id), { method: 'GET', credentials: 'same-origin' })
    if (res.ok) {
      void res.body?.cancel().catch(() => undefined)
      return { ok: true }
    }
    let body: { error?: { code?: string; message?: string } } = {}
    try {
      body = (await res.json()) as typeof body
    } catch {
      // not our JSON error
    }
    const code = body.error?.code ?? ''
    return { ok: false, missing: res.status === 404 && code !== 'not_found', message: body.error?.message ?? '' }
  } catch {
    return { ok: false, missing: false, message: '' }
  }
}

/** The ticket a callback is recorded for, as the dialog shows it. */
export interface CallbackTarget {
  id: string
  number: string
  customerName: string
  siteName: string
  contactName: string
  contactPhone: string
  leadName?: string
  crew: number
  /** What the customer ticked on the form, if anything. */
  formSatisfaction?: string
}
