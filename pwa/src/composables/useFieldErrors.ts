import { reactive } from 'vue'
import { isApiError } from '@/api'

/**
 * Server-side validation messages per form field (422 `fields`), to show on
 * the right inputs; everything else comes back as one message to toast.
 */
export function useFieldErrors() {
  const fields = reactive<Record<string, string>>({})

  function clear(name?: string) {
    if (name !== undefined) {
      delete fields[name]
      return
    }
    for (const k of Object.keys(fields)) delete fields[k]
  }

  /**
   * Takes a failed call's error: fills `fields`, and returns the message to
   * show apart from the fields ('' when the fields already say it all).
   */
  function apply(e: unknown, known: readonly string[]): string {
    clear()
    if (!isApiError(e)) return e instanceof Error ? e.message : String(e)
    let unplaced = false
    for (const [name, msg] of Object.entries(e.fields)) {
      if (known.includes(name)) fields[name] = msg
      else unplaced = true
    }
    const placed = Object.keys(fields).length > 0
    return placed && !unplaced ? '' : e.message
  }

  return { fields, clear, apply }
}

/** The message of any failure, for a toast. */
export function errorMessage(e: unknown): string {
  if (isApiError(e)) return e.message
  return e instanceof Error ? e.message : String(e)
}
