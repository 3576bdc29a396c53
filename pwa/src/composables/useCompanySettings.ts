import { companyApi } from '@/api'
import type { Company, CompanyUpdate } from '@/api/types'
import { useUiStore } from '@/stores/ui'

export const LOGO_MAX_BYTES = 512 * 1024
export const LOGO_TYPES: readonly string[] = ['image/png', 'image/jpeg']

/** Company card editing; every save refreshes the branding in the headers. */
export function useCompanySettings() {
  const ui = useUiStore()

  async function load(): Promise<Company> {
    const c = await companyApi.get()
    ui.setCompany(c)
    return c
  }

  async function save(input: CompanyUpdate): Promise<Company> {
    const c = await companyApi.update(input)
    ui.setCompany(c)
    return c
  }

  async function uploadLogo(file: Blob): Promise<Company> {
    const c = await companyApi.uploadLogo(file)
    ui.setCompany(c)
    return c
  }

  return { load, save, uploadLogo, logoUrl: companyApi.logoUrl }
}

/** Why a chosen logo file cannot be used, or null when it can. */
export function logoProblem(file: { type: string; size: number }): 'type' | 'size' | null {
  if (!LOGO_TYPES.includes(file.type)) return 'type'
  if (file.size > LOGO_MAX_BYTES) return 'size'
  return null
}
