import { computed, ref, shallowRef } from 'vue'
import { archiveApi, importProblems, type ImportCounts, type ImportProblem } from '@/api/archive'
import { errorMessage } from './useFieldErrors'

/**
 * The steps of an Excel import: a chosen file is always checked first (a
 * dry run); only a clean workbook can then be imported, all rows or none.
 */
export type ImportStep = 'choose' | 'checking' | 'problems' | 'ready' | 'importing' | 'done' | 'failed'

/** The workbook sheets in the template's order, for the counts. */
export const IMPORT_SHEETS = ['customers', 'sites', 'contacts', 'contracts', 'equipment'] as const satisfies readonly (keyof ImportCounts)[]

export function isXlsxName(name: string): boolean {
  return /\.xlsx$/i.test(name.trim())
}

export function useArchiveImport() {
  const step = ref<ImportStep>('choose')
  const file = shallowRef<File | null>(null)
  const problems = shallowRef<ImportProblem[]>([])
  const truncated = ref(false)
  const counts = shallowRef<ImportCounts | null>(null)
  const message = ref('')

  const busy = computed(() => step.value === 'checking' || step.value === 'importing')

  function reset() {
    step.value = 'choose'
    file.value = null
    problems.value = []
    truncated.value = false
    counts.value = null
    message.value = ''
  }

  function fail(e: unknown) {
    const p = importProblems(e)
    if (p) {
      problems.value = p.problems
      truncated.value = p.truncated
      message.value = errorMessage(e)
      step.value = 'problems'
      return
    }
    message.value = errorMessage(e)
    step.value = 'failed'
  }

  /** Checks a chosen workbook without importing anything. */
  async function check(f: File): Promise<void> {
    reset()
    file.value = f
    step.value = 'checking'
    try {
      const res = await archiveApi.importWorkbook(f, { dryRun: true })
      counts.value = res.imported
      step.value = 'ready'
    } catch (e) {
      fail(e)
    }
  }

  /** Imports the checked workbook. */
  async function commit(): Promise<void> {
    if (!file.value || step.value !== 'ready') return
    step.value = 'importing'
    try {
      const res = await archiveApi.importWorkbook(file.value, { dryRun: false })
      counts.value = res.imported
      step.value = 'done'
    } catch (e) {
      fail(e)
    }
  }

  return {
    step,
    file,
    problems,
    truncated,
    counts,
    message,
    busy,
    reset,
    check,
    commit,
    templateUrl: archiveApi.templateUrl,
    exportUrl: archiveApi.exportUrl,
  }
}
