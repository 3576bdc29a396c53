import type { useFieldErrors } from './useFieldErrors'

type FieldErrors = ReturnType<typeof useFieldErrors>

/**
 * Puts a failed save's field messages on a form whose fields are not named
 * like the server's (annualPriceFen on the 元 box, covers[2].system on the
 * cover grid, attributes.ports on the ports box). `fieldFor` names the
 * form field of a server field, or null when the form has none. Returns the
 * message to show apart from the fields ('' when they say it all).
 */
export function placeFieldErrors(errors: FieldErrors, e: unknown, fieldFor: (serverField: string) => string | null): string {
  const raw = (e as { fields?: Readonly<Record<string, string>> } | null)?.fields ?? {}
  const keys = Object.keys(raw)
  const msg = errors.apply(
    e,
    keys.filter((k) => fieldFor(k) !== null),
  )
  for (const k of keys) {
    const to = fieldFor(k)
    if (to === null || to === k) continue
    if (!errors.fields[to]) errors.fields[to] = raw[k]!
    delete errors.fields[k]
  }
  return msg
}
