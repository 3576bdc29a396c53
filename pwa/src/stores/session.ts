import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi, isApiError } from '@/api'
import type { Me, Role } from '@/api/types'
import { defaultRole, homePath, layoutOf } from './roles'

const ME_KEY = 'elvcare.me'
const roleKey = (userId: string) => `elvcare.role.${userId}`

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // storage unavailable: the session still works, it is just not remembered
  }
}

function cachedMe(): Me | null {
  const raw = readStorage(ME_KEY)
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Me
    return typeof v.id === 'string' && Array.isArray(v.roles) ? v : null
  } catch {
    return null
  }
}

function isNarrowScreen(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(max-width: 767px)').matches
    : false
}

/** Who is signed in and in which role they are working. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const activeRole = ref<Role | null>(null)
  /** The server has been asked (or could not be reached) once since start. */
  const loaded = ref(false)
  /** The last load found that a remembered session had ended on the server. */
  const expired = ref(false)

  const roles = computed<Role[]>(() => me.value?.roles ?? [])
  const isLoggedIn = computed(() => me.value !== null)
  const hasManyRoles = computed(() => roles.value.length > 1)
  const home = computed(() => homePath(activeRole.value))
  const layout = computed(() => (activeRole.value ? layoutOf(activeRole.value) : 'desktop'))

  function hasRole(role: Role): boolean {
    return roles.value.includes(role)
  }

  function setUser(user: Me): void {
    me.value = user
    writeStorage(ME_KEY, JSON.stringify(user))
    activeRole.value = defaultRole(user.roles, { stored: readStorage(roleKey(user.id)), narrow: isNarrowScreen() })
  }

  function setActiveRole(role: Role): void {
    if (!me.value || !hasRole(role)) return
    activeRole.value = role
    writeStorage(roleKey(me.value.id), role)
  }

  /** Forgets the user locally (after logout, or when the server says 401). */
  function clear(): void {
    me.value = null
    activeRole.value = null
    writeStorage(ME_KEY, null)
  }

  /**
   * Asks the server who is signed in. Offline, the user from the last visit
   * is kept so the precached shell still opens in a basement; a 401 means
   * signed out.
   */
  async function load(): Promise<void> {
    const cached = cachedMe()
    expired.value = false
    try {
      setUser(await authApi.me())
    } catch (e) {
      if (isApiError(e) && e.isNetwork && cached) {
        setUser(cached)
      } else {
        expired.value = cached !== null && isApiError(e) && e.isUnauthorized
        clear()
      }
    } finally {
      loaded.value = true
    }
  }

  async function login(login: string, password: string): Promise<Me> {
    const res = await authApi.login({ login, password })
    setUser(res.user)
    loaded.value = true
    expired.value = false
    return res.user
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } finally {
      clear()
    }
  }

  return { me, activeRole, loaded, expired, roles, isLoggedIn, hasManyRoles, home, layout, hasRole, setUser, setActiveRole, clear, load, login, logout }
})
