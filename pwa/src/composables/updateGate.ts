// Who may hold back an app update: the sync engine while it runs or while
// the outbox is not empty, an open form. Tiny on purpose — the update prompt
// lives in the entry bundle, and must not pull the database in with it.
import { computed, reactive } from 'vue'

const blockers = reactive(new Set<string>())

/** Holds back (or releases) updates for reason. */
export function holdUpdates(reason: string, hold: boolean): void {
  if (hold) blockers.add(reason)
  else blockers.delete(reason)
}

/** True while nothing holds updates back. */
export const updatesAllowed = computed(() => blockers.size === 0)
