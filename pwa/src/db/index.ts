// The open database of the signed-in technician. The sync engine and the
// repos share it; views never import this module (STYLE.md, the PWA, rule 1).
import { dbName, FieldDb } from './schema'

export * from './schema'

let current: FieldDb | null = null

/** Opens (lazily) the database of user, closing another user's. */
export function useDbOf(userId: string): FieldDb {
  const name = dbName(userId)
  if (current?.name === name) return current
  current?.close()
  current = new FieldDb(name)
  return current
}

/** The open database; throws when no technician is signed in. */
export function db(): FieldDb {
  if (!current) throw new Error('field database used before sign-in')
  return current
}

export function hasDb(): boolean {
  return current !== null
}

/** Closes the database (sign-out); its data and outbox stay on the device. */
export function closeDb(): void {
  current?.close()
  current = null
}
