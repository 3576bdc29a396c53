// Live queries as Vue refs: a Dexie liveQuery re-runs when the tables it
// read change — a local write or a sync — and the view re-renders with no
// manual refresh (STYLE.md, the PWA, rule 3).
import { liveQuery, type Subscription } from 'dexie'
import { onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef, type WatchSource } from 'vue'

export interface Live<T> {
  value: ShallowRef<T>
  /** The first answer has arrived. */
  ready: Ref<boolean>
  error: Ref<unknown>
}

/**
 * Runs query now and whenever what it read changes; with deps, also when
 * they change (e.g. the route's id).
 */
export function useLive<T>(query: () => Promise<T>, initial: T, deps?: WatchSource | WatchSource[]): Live<T> {
  const value = shallowRef(initial) as ShallowRef<T>
  const ready = ref(false)
  const error = ref<unknown>(null)
  let sub: Subscription | null = null

  const start = () => {
    sub?.unsubscribe()
    sub = liveQuery(query).subscribe({
      next: (v) => {
        value.value = v
        ready.value = true
        error.value = null
      },
      error: (e: unknown) => {
        error.value = e
        ready.value = true
      },
    })
  }

  if (deps) watch(deps, start, { immediate: true })
  else start()
  onScopeDispose(() => sub?.unsubscribe())
  return { value, ready, error }
}
