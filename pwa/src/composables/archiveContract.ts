import { computed, ref, shallowRef } from 'vue'
import {
  archiveApi,
  DOCUMENT_KINDS,
  type AuditArgs,
  type AuditVerdict,
  type Contract,
  type ContractArgs,
  type ContractPatch,
  type ContractStage,
  type CustomerDetail,
  type DocumentKind,
  type Documents,
  type FileRecord,
  type RenewalArgs,
} from '@/api/archive'
import { nextStages } from './archiveFormat'
import { errorMessage } from './useFieldErrors'

/** A contract's terms as a form edits them (create, edit, renew). */
export type ContractTerms = Omit<ContractArgs, 'customerId' | 'id' | 'auditedBeforeSystem' | 'audit'>

/** An audit as it is sent again with one change: every field kept. */
export function auditArgs(c: Contract, change: Partial<AuditArgs> = {}): AuditArgs {
  const a = c.audit ?? {}
  return {
    documents: { ...(a.documents ?? {}) },
    waived: [...(a.waived ?? [])],
    verdict: a.verdict ?? '',
    note: a.note ?? '',
    ...change,
  }
}

/** The documents with one more file of a kind (a file already there is not added twice). */
export function withDocument(docs: Documents | undefined, kind: DocumentKind, hash: string): Documents {
  const out: Documents = { ...(docs ?? {}) }
  const list = out[kind] ?? []
  out[kind] = list.includes(hash) ? [...list] : [...list, hash]
  return out
}

/** The documents without one file. */
export function withoutDocument(docs: Documents | undefined, kind: DocumentKind, hash: string): Documents {
  const out: Documents = { ...(docs ?? {}) }
  const list = (out[kind] ?? []).filter((h) => h !== hash)
  if (list.length) out[kind] = list
  else delete out[kind]
  return out
}

/** The kinds neither filed nor waived: what still keeps a verdict of 合格 away. */
export function missingDocuments(audit: { documents?: Documents; waived?: DocumentKind[] } | undefined): DocumentKind[] {
  return DOCUMENT_KINDS.filter((k) => !(audit?.documents?.[k]?.length || audit?.waived?.includes(k)))
}

/**
 * A contract page: the contract, its customer's archive (for the names of
 * its sites), the stage moves, the Y audit with its documents, renewal.
 */
export function useContractPage(id: () => string) {
  const contract = shallowRef<Contract | null>(null)
  const customer = shallowRef<CustomerDetail | null>(null)
  const loading = ref(false)
  const error = ref('')
  const notFound = ref(false)
  /** Names of the files uploaded here; the server's audit keeps only hashes. */
  const fileNames = ref<Record<string, string>>({})

  async function reload(): Promise<void> {
    const current = id()
    loading.value = true
    try {
      const c = await archiveApi.contract(current)
      const d = await archiveApi.customer(c.customerId)
      if (current !== id()) return
      contract.value = c
      customer.value = d
      error.value = ''
      notFound.value = false
      void lookUpNames(c)
    } catch (e) {
      if (current !== id()) return
      notFound.value = (e as { status?: number }).status === 404
      error.value = errorMessage(e)
    } finally {
      loading.value = false
    }
  }

  /** Fetches the names of the audit's files not named yet (best effort). */
  async function lookUpNames(c: Contract): Promise<void> {
    const hashes = Object.values(c.audit?.documents ?? {})
      .flat()
      .filter((h): h is string => !!h && !(h in fileNames.value))
    await Promise.all(
      hashes.map(async (h) => {
        const name = await archiveApi.fileName(h).catch(() => '')
        if (name) fileNames.value = { ...fileNames.value, [h]: name }
      }),
    )
  }

  function set(c: Contract): Contract {
    contract.value = c
    return c
  }

  const allowedMoves = computed(() => (contract.value ? nextStages(contract.value.kind, contract.value.stage) : []))
  const missing = computed(() => missingDocuments(contract.value?.audit))
  const siteName = (siteId: string) => customer.value?.sites.find((s) => s.id === siteId)?.name ?? ''

  function current(): Contract {
    if (!contract.value) throw new Error('contract not loaded')
    return contract.value
  }

  async function moveStage(stage: ContractStage, note: string): Promise<Contract> {
    return set(await archiveApi.moveStage(current().id, { stage, note: note.trim() || undefined }))
  }

  async function update(patch: ContractPatch): Promise<Contract> {
    return set(await archiveApi.updateContract(current().id, patch))
  }

  /** Uploads a completion document and files it under its kind in the audit. */
  async function addDocument(kind: DocumentKind, file: File): Promise<FileRecord> {
    const rec = await archiveApi.uploadFile(file, file.name)
    fileNames.value = { ...fileNames.value, [rec.hash]: rec.name }
    const c = current()
    set(await archiveApi.recordAudit(c.id, auditArgs(c, { documents: withDocument(c.audit?.documents, kind, rec.hash) })))
    return rec
  }

  async function removeDocument(kind: DocumentKind, hash: string): Promise<Contract> {
    const c = current()
    return set(await archiveApi.recordAudit(c.id, auditArgs(c, { documents: withoutDocument(c.audit?.documents, kind, hash) })))
  }

  async function setWaived(kind: DocumentKind, waived: boolean): Promise<Contract> {
    const c = current()
    const list = (c.audit?.waived ?? []).filter((k) => k !== kind)
    if (waived) list.push(kind)
    return set(await archiveApi.recordAudit(c.id, auditArgs(c, { waived: list })))
  }

  async function recordVerdict(verdict: AuditVerdict, note: string): Promise<Contract> {
    const c = current()
    return set(await archiveApi.recordAudit(c.id, auditArgs(c, { verdict, note: note.trim() })))
  }

  async function renew(args: RenewalArgs): Promise<Contract> {
    return archiveApi.renew(current().id, args)
  }

  return {
    contract,
    customer,
    loading,
    error,
    notFound,
    fileNames,
    allowedMoves,
    missing,
    siteName,
    reload,
    moveStage,
    update,
    addDocument,
    removeDocument,
    setWaived,
    recordVerdict,
    renew,
    fileUrl: archiveApi.fileUrl,
  }
}
