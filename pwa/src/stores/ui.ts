import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { companyApi } from '@/api'
import type { Company } from '@/api/types'
import { currentLocale, setLocale, type AppLocale } from '@/i18n'

const COMPANY_KEY = 'elvcare.company'

function cachedCompany(): Company | null {
  try {
    const raw = localStorage.getItem(COMPANY_KEY)
    return raw ? (JSON.parse(raw) as Company) : null
  } catch {
    return null
  }
}

/** UI state shared across pages: language, branding, one-shot notices. */
export const useUiStore = defineStore('ui', () => {
  const locale = ref<AppLocale>(currentLocale())
  const company = ref<Company | null>(cachedCompany())
  /** A message for the next page to show once, e.g. why we are at login. */
  const notice = ref<string | null>(null)

  const companyName = computed(() => company.value?.name ?? '')
  const logoUrl = computed(() => companyApi.logoUrl(company.value?.logoHash ?? ''))

  function changeLocale(next: AppLocale): void {
    setLocale(next)
    locale.value = next
  }

  function setCompany(c: Company): void {
    company.value = c
    try {
      localStorage.setItem(COMPANY_KEY, JSON.stringify(c))
    } catch {
      // only a cache for offline starts
    }
  }

  /** Loads the public company card for headers; failures keep the cache. */
  async function loadCompany(): Promise<void> {
    try {
      setCompany(await companyApi.get())
    } catch {
      // offline or server down: the cached card (or none) is shown
    }
  }

  function setNotice(message: string): void {
    notice.value = message
  }

  function takeNotice(): string | null {
    const n = notice.value
    notice.value = null
    return n
  }

  return { locale, company, companyName, logoUrl, notice, changeLocale, setCompany, loadCompany, setNotice, takeNotice }
})
