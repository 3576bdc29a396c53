import { computed, shallowRef } from 'vue'
import { archiveApi, type ItemSpec, type Reference } from '@/api/archive'
import type { System } from '@/api/types'
import { errorMessage } from './useFieldErrors'

/** The server says to cache the reference lists for an hour. */
const TTL_MS = 60 * 60 * 1000

let cache: { at: number; promise: Promise<Reference> } | null = null

/** The reference lists (systems, item types, districts…), fetched once an hour. */
export function loadReference(now: number = Date.now()): Promise<Reference> {
  if (!cache || now - cache.at > TTL_MS) {
    const promise = archiveApi.reference()
    cache = { at: now, promise }
    // A failure is not cached: the next caller asks again.
    promise.catch(() => {
      if (cache?.promise === promise) cache = null
    })
  }
  return cache.promise
}

/** Forgets the cached lists; for tests. */
export function resetReferenceCache(): void {
  cache = null
}

export interface ItemTypeGroup {
  system: System
  label: string
  types: ItemSpec[]
}

/** The reference lists for a page, with the look-ups forms and tables need. */
export function useArchiveReference() {
  const reference = shallowRef<Reference | null>(null)
  const error = shallowRef('')

  const ready = loadReference().then(
    (r) => {
      reference.value = r
      return r
    },
    (e: unknown) => {
      error.value = errorMessage(e)
      return null
    },
  )

  const itemTypes = computed(() => new Map((reference.value?.itemTypes ?? []).map((t) => [t.type, t])))
  const districts = computed(() => reference.value?.districts ?? [])
  const city = computed(() => reference.value?.city ?? '')

  /** Item types grouped by system, in the price list's order, for grouped selects. */
  const itemTypeGroups = computed<ItemTypeGroup[]>(() =>
    (reference.value?.systems ?? []).map((s) => ({
      system: s.id,
      label: s.label,
      types: s.itemTypes.map((t) => itemTypes.value.get(t)).filter((t): t is ItemSpec => !!t),
    })),
  )

  function itemType(type: string): ItemSpec | undefined {
    return itemTypes.value.get(type)
  }

  function itemTypeName(type: string): string {
    return itemTypes.value.get(type)?.name ?? type
  }

  /** The fee zone of a district of the home city (市区 / 市区外本市范围内), '' elsewhere. */
  function zoneLabel(district: string, siteCity = ''): string {
    if (siteCity && city.value && siteCity !== city.value) return ''
    return districts.value.find((d) => d.name === district)?.zoneLabel ?? ''
  }

  function isCityZone(district: string): boolean {
    return districts.value.find((d) => d.name === district)?.zone === 'city'
  }

  return { reference, error, ready, itemTypeGroups, districts, city, itemType, itemTypeName, zoneLabel, isCityZone }
}
