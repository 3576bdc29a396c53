import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { archiveApi, type CustomerDetail, type CustomerItem, type Equipment } from '@/api/archive'
import { deskApi, type ContactHit, type CoverageAnswer, type OpenTicketArgs, type Priority, type Ticket } from '@/api/desk'
import type { System } from '@/api/types'
import { SYSTEMS } from '@/api/types'
import { customerTypeFor } from './deskFormat'
import { errorMessage } from './useFieldErrors'

/** Digits of a typed number; a lookup needs at least 4 (docs/api-archive.md). */
export function phoneDigits(s: string): string {
  return s.replace(/\D/g, '')
}

export interface IntakeForm {
  customerId: string
  siteId: string
  contactId: string
  contactName: string
  contactPhone: string
  system: System | ''
  equipmentIds: string[]
  requested: string
  condition: string
  priority: Priority
  plannedDate: string
  liaison: boolean
  /** A further visit of an existing job (R-TKT-9). */
  jobId: string
}

export function blankIntake(): IntakeForm {
  return {
    customerId: '',
    siteId: '',
    contactId: '',
    contactName: '',
    contactPhone: '',
    system: '',
    equipmentIds: [],
    requested: '',
    condition: '',
    priority: 'normal',
    plannedDate: '',
    liaison: false,
    jobId: '',
  }
}

/** The request body of the form; empty optional fields are left out. */
export function openArgs(f: IntakeForm): OpenTicketArgs {
  const args: OpenTicketArgs = {
    customerId: f.customerId,
    siteId: f.siteId,
    system: f.system as System,
    requested: f.requested.trim(),
    priority: f.priority,
  }
  if (f.contactId) args.contactId = f.contactId
  // The number the caller used, which may be the contact's second one.
  if (f.contactName.trim()) args.contactName = f.contactName.trim()
  if (f.contactPhone.trim()) args.contactPhone = f.contactPhone.trim()
  if (f.equipmentIds.length) args.equipmentIds = [...f.equipmentIds]
  if (f.condition.trim()) args.condition = f.condition.trim()
  if (f.plannedDate) args.plannedDate = f.plannedDate
  if (f.liaison) args.liaison = true
  if (f.jobId) args.jobId = f.jobId
  return args
}

/**
 * 受理: the caller's number finds contact, customer and site (or a name
 * search finds the customer); the site's systems, equipment and coverage
 * follow; submitting opens the 联络单 (R-TKT-1).
 */
export function useIntake() {
  const form = reactive<IntakeForm>(blankIntake())
  const phone = ref('')
  const hits = shallowRef<ContactHit[]>([])
  const searched = ref(false)
  const searching = ref(false)
  const lookupError = ref('')
  const customer = shallowRef<CustomerDetail | null>(null)
  const loadingCustomer = ref(false)
  const coverage = shallowRef<CoverageAnswer | null>(null)
  const coverageLoading = ref(false)
  const submitting = ref(false)
  const created = shallowRef<Ticket | null>(null)

  async function lookup(): Promise<void> {
    const digits = phoneDigits(phone.value)
    lookupError.value = ''
    if (digits.length < 4) {
      hits.value = []
      searched.value = false
      return
    }
    searching.value = true
    try {
      hits.value = (await deskApi.contactsByPhone(phone.value.trim())).items
      searched.value = true
      const only = hits.value.length === 1 ? hits.value[0] : undefined
      if (only) await chooseContact(only)
    } catch (e) {
      lookupError.value = errorMessage(e)
    } finally {
      searching.value = false
    }
  }

  async function searchCustomers(q: string): Promise<CustomerItem[]> {
    if (!q.trim()) return []
    return (await archiveApi.customers({ q: q.trim(), pageSize: 10 })).items
  }

  async function loadCustomer(id: string): Promise<void> {
    if (customer.value?.customer.id === id) return
    loadingCustomer.value = true
    try {
      customer.value = await archiveApi.customer(id)
      form.customerId = id
    } finally {
      loadingCustomer.value = false
    }
  }

  /** A contact found by phone: the customer, the contact, and the site when it is clear. */
  async function chooseContact(c: ContactHit): Promise<void> {
    await loadCustomer(c.customerId)
    form.contactId = c.id
    form.contactName = c.name
    const typed = phoneDigits(phone.value)
    form.contactPhone = c.phones.find((p) => phoneDigits(p).includes(typed)) ?? c.phones[0] ?? phone.value
    const sites = customer.value?.sites ?? []
    const own = c.siteIds.length ? sites.filter((s) => c.siteIds.includes(s.id)) : sites
    if (own.length === 1 && own[0]) form.siteId = own[0].id
    else if (!own.some((s) => s.id === form.siteId)) form.siteId = ''
  }

  /** A customer found by name: the desk picks site and contact. */
  async function chooseCustomer(id: string): Promise<void> {
    await loadCustomer(id)
    form.contactId = ''
    form.contactName = ''
    form.contactPhone = phone.value.trim()
    const sites = customer.value?.sites ?? []
    form.siteId = sites.length === 1 && sites[0] ? sites[0].id : ''
  }

  function chooseArchiveContact(contactId: string): void {
    const c = customer.value?.contacts.find((x) => x.id === contactId)
    form.contactId = contactId
    if (!c) return
    form.contactName = c.name
    form.contactPhone = c.phones[0] ?? ''
  }

  const sites = computed(() => customer.value?.sites ?? [])
  const site = computed(() => sites.value.find((s) => s.id === form.siteId) ?? null)
  const contacts = computed(() => {
    const all = customer.value?.contacts ?? []
    return form.siteId ? all.filter((c) => !c.siteIds?.length || c.siteIds.includes(form.siteId)) : all
  })
  const siteEquipment = computed<Equipment[]>(() =>
    (customer.value?.equipment ?? []).filter((e) => e.siteId === form.siteId && !e.retired),
  )
  /** The systems the site has equipment or a contract for, first; then the rest. */
  const siteSystems = computed<System[]>(() => {
    const have = new Set<System>()
    for (const e of siteEquipment.value) have.add(e.system)
    for (const c of customer.value?.coverage ?? []) if (c.siteId === form.siteId) have.add(c.system)
    return SYSTEMS.filter((s) => have.has(s))
  })
  const systemEquipment = computed(() => siteEquipment.value.filter((e) => !form.system || e.system === form.system))
  const siteCoverage = computed(() => (customer.value?.coverage ?? []).filter((c) => c.siteId === form.siteId))
  const customerType = computed(() => customerTypeFor(coverage.value?.kind, form.liaison))

  watch(
    () => [form.siteId, form.system] as const,
    async ([siteId, system]) => {
      form.equipmentIds = form.equipmentIds.filter((id) => systemEquipment.value.some((e) => e.id === id))
      coverage.value = null
      if (!siteId || !system) return
      coverageLoading.value = true
      try {
        const c = await deskApi.coverage(siteId, system)
        if (form.siteId === siteId && form.system === system) coverage.value = c
      } catch {
        coverage.value = null
      } finally {
        coverageLoading.value = false
      }
    },
  )

  async function submit(): Promise<Ticket> {
    submitting.value = true
    try {
      const t = await deskApi.open(openArgs(form))
      created.value = t
      return t
    } finally {
      submitting.value = false
    }
  }

  function reset(): void {
    Object.assign(form, blankIntake())
    phone.value = ''
    hits.value = []
    searched.value = false
    customer.value = null
    coverage.value = null
    created.value = null
    lookupError.value = ''
  }

  return {
    form,
    phone,
    hits,
    searched,
    searching,
    lookupError,
    customer,
    loadingCustomer,
    coverage,
    coverageLoading,
    submitting,
    created,
    sites,
    site,
    contacts,
    siteEquipment,
    siteSystems,
    systemEquipment,
    siteCoverage,
    customerType,
    lookup,
    searchCustomers,
    loadCustomer,
    chooseContact,
    chooseCustomer,
    chooseArchiveContact,
    submit,
    reset,
  }
}
