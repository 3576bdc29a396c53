// The desk's side of the customer archive (docs/api-archive.md): customers,
// sites, contacts, contracts with their Q→Y→B→S stages, equipment and its
// audited credentials, completion documents, the reference lists and the
// Excel template, import and export. One function per route; every shape
// comes from the generated schema, narrowed here where the spec types an
// enumeration as a plain string.
import { request } from './client'
import { isApiError } from './errors'
import type { components, operations } from './schema'
import type { System } from './types'

type S = components['schemas']
type Override<T, U> = Omit<T, keyof U> & U
type QueryOf<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>

export const CUSTOMER_KINDS = ['company', 'institution', 'individual'] as const
export type CustomerKind = (typeof CUSTOMER_KINDS)[number]

/** Best first: warranty beats annual beats per-visit (R-ARC-2). */
export const COVERAGE_KINDS = ['warranty', 'annual', 'per_visit', 'none'] as const
export type CoverageKind = (typeof COVERAGE_KINDS)[number]

export const CONTRACT_KINDS = ['project', 'annual', 'per_visit'] as const
export type ContractKind = (typeof CONTRACT_KINDS)[number]

/** R-QYBS: 签订合同 → 验收 → 保修 → 跟进. */
export const CONTRACT_STAGES = ['Q', 'Y', 'B', 'S'] as const
export type ContractStage = (typeof CONTRACT_STAGES)[number]

/** The completion documents (竣工文档) of the Y audit, in checklist order. */
export const DOCUMENT_KINDS = ['drawings', 'equipment_list', 'test_report', 'config_backup', 'manual'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

/** '' is an audit in progress. */
export const AUDIT_VERDICTS = ['', 'pass', 'fail'] as const
export type AuditVerdict = (typeof AUDIT_VERDICTS)[number]

export type Coverage = Override<S['CoverageResult'], { kind: CoverageKind }>
export type CustomerSummary = Override<S['SyncCustomerSummary'], { coverage: Coverage; stages: ContractStage[] }>
export type Customer = Override<S['Customer'], { kind: CustomerKind }>
export type CustomerItem = Override<S['SyncCustomerItem'], { kind: CustomerKind; summary: CustomerSummary }>
export type CustomerList = Override<S['SyncCustomerList'], { items: CustomerItem[] }>
export type Site = S['Site']
export type Contact = S['Contact']
export type ContractCover = Override<S['ContractCover'], { system: System }>
export type StageEntry = Override<S['StageEntry'], { stage: ContractStage }>
export type Documents = Partial<Record<DocumentKind, string[]>>
export type ContractAudit = Override<
  S['ContractAudit'],
  { documents?: Documents; waived?: DocumentKind[]; verdict?: AuditVerdict }
>
export type Contract = Override<
  S['Contract'],
  { kind: ContractKind; stage: ContractStage; covers: ContractCover[]; history: StageEntry[]; audit?: ContractAudit }
>
export type EquipmentAttributes = S['EquipmentAttributes']
export type Equipment = Override<S['SyncEquipmentRecord'], { system: System }>
export type SiteCoverage = Override<S['SyncSiteCoverage'], { kind: CoverageKind; system: System }>
export type CustomerDetail = Override<
  S['SyncCustomerDetail'],
  {
    customer: Customer
    summary: CustomerSummary
    contracts: Contract[]
    equipment: Equipment[]
    coverage: SiteCoverage[]
  }
>
export type ContractEndingItem = Override<S['SyncContractEndingItem'], { contract: Contract }>
export type ContractEndingList = Override<S['SyncContractEndingList'], { items: ContractEndingItem[] }>
export type RevealedCredential = S['SyncRevealedCredential']
export type CredentialInfo = S['SyncCredentialInfo']
export type FileRecord = S['SyncFileRecord']

export type Choice = S['SyncChoice']
export type DistrictRef = S['SyncDistrictRef']
export type ItemAttribute = 'none' | 'ports' | 'watts' | 'quantity'
export type ItemSpec = Override<S['ItemSpec'], { system: System; attribute: ItemAttribute }>
export type SystemRef = Override<S['SyncSystemRef'], { id: System }>
export type Reference = Override<S['SyncReference'], { systems: SystemRef[]; itemTypes: ItemSpec[] }>

export type CustomerArgs = Override<S['SyncCustomerArgs'], { kind: CustomerKind }>
export type CustomerPatch = Override<S['SyncCustomerPatch'], { kind?: CustomerKind }>
export type SiteArgs = S['SyncSiteArgs']
export type SitePatch = S['SyncSitePatch']
export type ContactArgs = S['SyncContactArgs']
export type ContactPatch = S['SyncContactPatch']
export type ContractArgs = Override<S['SyncContractArgs'], { kind: ContractKind; covers: ContractCover[] }>
export type ContractPatch = Override<S['SyncContractPatch'], { kind?: ContractKind; covers?: ContractCover[] }>
export type RenewalArgs = Override<S['SyncRenewalArgs'], { kind: ContractKind; covers: ContractCover[] }>
export type StageMove = Override<S['SyncStageMove'], { stage: ContractStage }>
export type AuditArgs = Override<S['SyncAuditArgs'], { documents?: Documents; waived?: DocumentKind[]; verdict?: AuditVerdict }>
export type EquipmentArgs = Override<S['SyncEquipmentArgs'], { system?: System }>
export type EquipmentPatch = Override<S['SyncEquipmentPatch'], { system?: System }>
export type CredentialArgs = S['SyncCredential']

export type CustomerQuery = Override<
  QueryOf<'getCustomers'>,
  { coverage?: CoverageKind | ''; stage?: ContractStage | ''; endingWithin?: number | null }
>

export type ImportCounts = S['XlsxCounts']
export type ImportResult = S['XlsxResult']

/**
 * One problem of a refused import. The 422 answer carries `problems` beside
 * the standard error; the server's spec does not describe that body yet, so
 * this one shape is written out here.
 */
export interface ImportProblem {
  sheet: string
  row: number
  column: string
  value: string
  code: string
  message: string
}

/** The problems of a refused import, or null when `e` is another failure. */
export function importProblems(e: unknown): { problems: ImportProblem[]; truncated: boolean } | null {
  if (!isApiError(e) || e.status !== 422) return null
  const body = e.body
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { problems?: unknown }).problems)) return null
  const b = body as { problems: ImportProblem[]; truncated?: boolean }
  return { problems: b.problems, truncated: !!b.truncated }
}

/** The query string of a list call: empty and absent values are left out. */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** The file name of a Content-Disposition header (filename* in UTF-8 first). */
export function dispositionName(header: string | null): string {
  if (!header) return ''
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      // a broken encoding: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain?.[1]?.trim() ?? ''
}

const enc = encodeURIComponent
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export const archiveApi = {
  reference: () => request<Reference>('GET', '/api/reference'),

  customers: (query: CustomerQuery, signal?: AbortSignal) =>
    request<CustomerList>('GET', `/api/customers${queryString(query)}`, { signal }),
  customer: (id: string) => request<CustomerDetail>('GET', `/api/customers/${enc(id)}`),
  createCustomer: (body: CustomerArgs) => request<Customer>('POST', '/api/customers', { body }),
  updateCustomer: (id: string, body: CustomerPatch) => request<Customer>('PATCH', `/api/customers/${enc(id)}`, { body }),
  serviceArchive: (id: string) => request<S['ServiceArchive']>('GET', `/api/customers/${enc(id)}/service-archive`),

  createSite: (body: SiteArgs) => request<Site>('POST', '/api/sites', { body }),
  updateSite: (id: string, body: SitePatch) => request<Site>('PATCH', `/api/sites/${enc(id)}`, { body }),

  createContact: (body: ContactArgs) => request<Contact>('POST', '/api/contacts', { body }),
  updateContact: (id: string, body: ContactPatch) => request<Contact>('PATCH', `/api/contacts/${enc(id)}`, { body }),

  contract: (id: string) => request<Contract>('GET', `/api/contracts/${enc(id)}`),
  contractsEnding: (days: number) => request<ContractEndingList>('GET', `/api/contracts/ending${queryString({ days })}`),
  createContract: (body: ContractArgs) => request<Contract>('POST', '/api/contracts', { body }),
  updateContract: (id: string, body: ContractPatch) => request<Contract>('PATCH', `/api/contracts/${enc(id)}`, { body }),
  moveStage: (id: string, body: StageMove) => request<Contract>('POST', `/api/contracts/${enc(id)}/stage`, { body }),
  recordAudit: (id: string, body: AuditArgs) => request<Contract>('POST', `/api/contracts/${enc(id)}/audit`, { body }),
  renew: (id: string, body: RenewalArgs) => request<Contract>('POST', `/api/contracts/${enc(id)}/renew`, { body }),

  createEquipment: (body: EquipmentArgs) => request<Equipment>('POST', '/api/equipment', { body }),
  updateEquipment: (id: string, body: EquipmentPatch) => request<Equipment>('PATCH', `/api/equipment/${enc(id)}`, { body }),
  setCredential: (id: string, body: CredentialArgs) =>
    request<CredentialInfo>('POST', `/api/equipment/${enc(id)}/credential`, { body }),
  /** Audited on the server: every call is a recorded reveal. */
  revealCredential: (id: string) => request<RevealedCredential>('POST', `/api/equipment/${enc(id)}/credential/reveal`),

  uploadFile: (file: Blob, name: string) =>
    request<FileRecord>('POST', `/api/files${queryString({ name })}`, {
      body: file,
      contentType: file.type || 'application/octet-stream',
    }),
  fileUrl: (hash: string) => `/api/files/${enc(hash)}`,
  /**
   * The name a stored file was uploaded with. The audit keeps only hashes
   * and the server has no metadata route (HEAD is not served), so this
   * reads the download's headers and cancels the body; the browser keeps
   * the answer (immutable), so opening the file later costs nothing more.
   */
  fileName: async (hash: string): Promise<string> => {
    const res = await fetch(`/api/files/${enc(hash)}`, { credentials: 'same-origin' })
    void res.body?.cancel().catch(() => undefined)
    return res.ok ? dispositionName(res.headers.get('Content-Disposition')) : ''
  },

  templateUrl: '/api/archive/template.xlsx',
  exportUrl: '/api/archive/export.xlsx',
  /** Checks (dryRun) or imports a filled-in template; a 422 carries importProblems(e). */
  importWorkbook: (file: Blob, opts: { dryRun: boolean }) =>
    request<ImportResult>('POST', `/api/archive/import${queryString({ dryRun: opts.dryRun ? 1 : undefined })}`, {
      body: file,
      contentType: XLSX_TYPE,
    }),
}

export type ArchiveApi = typeof archiveApi
