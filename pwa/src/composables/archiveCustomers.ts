import { computed, onScopeDispose, reactive, ref, shallowRef, watch } from 'vue'
import {
  archiveApi,
  type ContactArgs,
  type ContactPatch,
  type ContractArgs,
  type ContractStage,
  type CoverageKind,
  type CredentialArgs,
  type CustomerArgs,
  type CustomerDetail,
  type CustomerItem,
  type CustomerPatch,
  type CustomerQuery,
  type EquipmentArgs,
  type EquipmentPatch,
  type SiteArgs,
  type SitePatch,
} from '@/api/archive'
import { errorMessage } from './useFieldErrors'

/** How long the search box waits for the typing to pause. */
export const SEARCH_DEBOUNCE_MS = 200

export const PAGE_SIZES = [20, 50, 100] as const

export interface CustomerFilters {
  q: string
  district: string
  coverage: CoverageKind | ''
  stage: ContractStage | ''
  /** Contracts ending within this many days; null for no filter. */
  endingWithin: number | null
  page: number
  pageSize: number
}

export function blankFilters(): CustomerFilters {
  return { q: '', district: '', coverage: '', stage: '', endingWithin: null, page: 1, pageSize: 20 }
}

/** The filters as the API's query. */
export function toQuery(f: CustomerFilters): CustomerQuery {
  return {
    q: f.q.trim(),
    district: f.district,
    coverage: f.coverage,
    stage: f.stage,
    endingWithin: f.endingWithin ?? undefined,
    page: f.page,
    pageSize: f.pageSize,
  }
}

/**
 * The customer list: a search answered as the desk types (debounced), the
 * filters answered at once, pages. Only the latest answer is shown: an
 * earlier, slower request is aborted.
 */
export function useCustomerList(initial: Partial<CustomerFilters> = {}, debounceMs = SEARCH_DEBOUNCE_MS) {
  const filters = reactive<CustomerFilters>({ ...blankFilters(), ...initial })
  const items = shallowRef<CustomerItem[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref('')
  const loaded = ref(false)

  let inflight: AbortController | null = null
  let timer: ReturnType<typeof setTimeout> | undefined

  async function reload(): Promise<void> {
    clearTimeout(timer)
    inflight?.abort()
    const ctl = new AbortController()
    inflight = ctl
    loading.value = true
    try {
      const res = await archiveApi.customers(toQuery(filters), ctl.signal)
      if (ctl.signal.aborted) return
      items.value = res.items
      total.value = res.total
      error.value = ''
      loaded.value = true
    } catch (e) {
      if (ctl.signal.aborted || (e instanceof DOMException && e.name === 'AbortError')) return
      error.value = errorMessage(e)
    } finally {
      if (inflight === ctl) {
        inflight = null
        loading.value = false
      }
    }
  }

  function reloadSoon() {
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), debounceMs)
  }

  // Typing waits for a pause; a filter or page change asks at once. Either
  // way a changed search or filter starts again at page 1 (without asking
  // twice).
  let pageReset = false
  function firstPage() {
    if (filters.page !== 1) {
      pageReset = true
      filters.page = 1
    }
  }
  watch(
    () => filters.q,
    () => {
      firstPage()
      reloadSoon()
    },
  )
  watch(
    () => [filters.district, filters.coverage, filters.stage, filters.endingWithin, filters.pageSize],
    () => {
      firstPage()
      void reload()
    },
  )
  watch(
    () => filters.page,
    () => {
      if (pageReset) pageReset = false
      else void reload()
    },
  )

  onScopeDispose(() => {
    clearTimeout(timer)
    inflight?.abort()
  })

  const filtering = computed(
    () => !!(filters.q.trim() || filters.district || filters.coverage || filters.stage || filters.endingWithin != null),
  )

  function resetFilters() {
    Object.assign(filters, { ...blankFilters(), pageSize: filters.pageSize })
  }

  return { filters, items, total, loading, loaded, error, filtering, reload, resetFilters }
}

/**
 * One customer's archive: the detail and every write the customer page
 * makes. A write reloads the detail, whose summary and coverage the server
 * derives.
 */
export function useCustomerArchive(id: () => string) {
  const detail = shallowRef<CustomerDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  const notFound = ref(false)

  async function reload(): Promise<void> {
    const current = id()
    loading.value = true
    try {
      const d = await archiveApi.customer(current)
      if (current !== id()) return
      detail.value = d
      error.value = ''
      notFound.value = false
    } catch (e) {
      if (current !== id()) return
      notFound.value = (e as { status?: number }).status === 404
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  const sitesById = computed(() => new Map((detail.value?.sites ?? []).map((s) => [s.id, s])))
  function siteName(siteId: string): string {
    return sitesById.value.get(siteId)?.name ?? ''
  }

  async function after<T>(p: Promise<T>): Promise<T> {
    const v = await p
    await reload()
    return v
  }

  const customerId = () => detail.value?.customer.id ?? id()

  return {
    detail,
    loading,
    error,
    notFound,
    reload,
    siteName,
    sitesById,
    updateCustomer: (patch: CustomerPatch) => after(archiveApi.updateCustomer(customerId(), patch)),
    createSite: (args: Omit<SiteArgs, 'customerId'>) => after(archiveApi.createSite({ ...args, customerId: customerId() })),
    updateSite: (siteId: string, patch: SitePatch) => after(archiveApi.updateSite(siteId, patch)),
    createContact: (args: Omit<ContactArgs, 'customerId'>) =>
      after(archiveApi.createContact({ ...args, customerId: customerId() })),
    updateContact: (contactId: string, patch: ContactPatch) => after(archiveApi.updateContact(contactId, patch)),
    createContract: (args: Omit<ContractArgs, 'customerId'>) =>
      after(archiveApi.createContract({ ...args, customerId: customerId() })),
    createEquipment: (args: EquipmentArgs) => after(archiveApi.createEquipment(args)),
    updateEquipment: (equipmentId: string, patch: EquipmentPatch) => after(archiveApi.updateEquipment(equipmentId, patch)),
    setCredential: (equipmentId: string, args: CredentialArgs) => after(archiveApi.setCredential(equipmentId, args)),
    /** Audited on the server; never cached here. */
    revealCredential: (equipmentId: string) => archiveApi.revealCredential(equipmentId),
    serviceArchive: () => archiveApi.serviceArchive(customerId()),
  }
}

/** Creating a customer from the list. */
export function createCustomer(args: CustomerArgs) {
  return archiveApi.createCustomer(args)
}

export type CustomerArchive = ReturnType<typeof useCustomerArchive>
