import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router'
import { configureApi, resetApiConfig } from '@/api/client'
import type { Me } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { useUiStore } from '@/stores/ui'
import { installGuards } from './guards'

const Page = { render: () => null }
// The real route shapes, without loading the page components.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: Page, meta: { public: true } },
  { path: '/', name: 'home', component: Page },
  {
    path: '/m',
    component: Page,
    meta: { role: 'technician' },
    children: [{ path: 'tickets', component: Page }],
  },
  {
    path: '/d',
    component: Page,
    children: [
      { path: 'dispatch', component: Page, meta: { role: 'desk' } },
      { path: 'users', component: Page, meta: { role: 'admin' } },
    ],
  },
]

function meIs(user: Me | null) {
  configureApi({
    fetch: (() =>
      Promise.resolve(
        user
          ? new Response(JSON.stringify(user), { status: 200 })
          : new Response(JSON.stringify({ error: { code: 'unauthenticated', message: '请先登录' } }), { status: 401 }),
      )) as typeof fetch,
  })
}

function makeRouter() {
  const router = createRouter({ history: createMemoryHistory(), routes })
  installGuards(router)
  return router
}

const user = (roles: Me['roles']): Me => ({ id: 'u1', login: 'x', name: '某人', roles, specialist: false, skills: [] })

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
  vi.stubGlobal('matchMedia', () => ({ matches: false }) as MediaQueryList)
})
afterEach(() => {
  resetApiConfig()
  vi.unstubAllGlobals()
})

describe('guards', () => {
  it('sends a signed-out visitor to login, remembering where they were going', async () => {
    meIs(null)
    const router = makeRouter()
    await router.push('/d/users')
    expect(router.currentRoute.value.fullPath).toBe('/login?redirect=/d/users')
  })

  it('sends / to the home of the role', async () => {
    meIs(user(['technician']))
    const router = makeRouter()
    await router.push('/')
    expect(router.currentRoute.value.path).toBe('/m/tickets')
  })

  it('keeps a signed-in user off the login page', async () => {
    meIs(user(['desk']))
    const router = makeRouter()
    await router.push('/login')
    expect(router.currentRoute.value.path).toBe('/d/dispatch')
  })

  it('refuses pages of a role the user does not hold', async () => {
    meIs(user(['desk']))
    const router = makeRouter()
    await router.push('/d/users')
    expect(router.currentRoute.value.path).toBe('/d/dispatch')
  })

  it('visiting a page of another held role switches to it', async () => {
    meIs(user(['desk', 'technician']))
    const router = makeRouter()
    await router.push('/d/dispatch')
    expect(useSessionStore().activeRole).toBe('desk')
    await router.push('/m/tickets')
    expect(useSessionStore().activeRole).toBe('technician')
  })

  it('says the session expired when a remembered user is no longer signed in', async () => {
    localStorage.setItem('elvcare.me', JSON.stringify(user(['admin'])))
    meIs(null)
    const router = makeRouter()
    await router.push('/d/users')
    expect(router.currentRoute.value.name).toBe('login')
    expect(useUiStore().takeNotice()).toBe('登录已过期，请重新登录')
  })
})
