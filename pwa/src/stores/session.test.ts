import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { configureApi, resetApiConfig } from '@/api/client'
import type { Me, Role } from '@/api/types'
import { ROLE_HOME, defaultRole, homePath, layoutOf } from './roles'
import { useSessionStore } from './session'

const wang: Me = { id: 'u-wang', login: 'wang', name: '王工', roles: ['technician'], specialist: true, skills: ['cctv', 'alarm'] }
const chen: Me = { id: 'u-chen', login: 'chen', name: '陈小姐', roles: ['desk'], specialist: false, skills: [] }
const both: Me = { id: 'u-both', login: 'zhou', name: '周工', roles: ['technician', 'admin'], specialist: false, skills: [] }

function respond(status: number, body?: unknown) {
  const fetch = vi.fn(() =>
    Promise.resolve(
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
    ),
  )
  configureApi({ fetch: fetch as unknown as typeof globalThis.fetch })
  return fetch
}

function narrowScreen(narrow: boolean) {
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: narrow, media: q }) as MediaQueryList)
}

beforeEach(() => {
  localStorage.clear()
  setActivePinia(createPinia())
  narrowScreen(false)
})

afterEach(() => {
  resetApiConfig()
  vi.unstubAllGlobals()
})

describe('role homes', () => {
  it.each<[Role, string, 'mobile' | 'desktop']>([
    ['technician', '/m/tickets', 'mobile'],
    ['desk', '/d/dispatch', 'desktop'],
    ['manager', '/d/queue', 'desktop'],
    ['finance', '/d/fees', 'desktop'],
    ['admin', '/d/users', 'desktop'],
  ])('%s → %s (%s)', (role, path, layout) => {
    expect(homePath(role)).toBe(path)
    expect(ROLE_HOME[role]).toBe(path)
    expect(layoutOf(role)).toBe(layout)
  })

  it('no role → login', () => {
    expect(homePath(null)).toBe('/login')
  })
})

describe('defaultRole', () => {
  it.each<[string, Role[], Parameters<typeof defaultRole>[1], Role | null]>([
    ['no roles', [], {}, null],
    ['single role', ['finance'], {}, 'finance'],
    ['desk before technician at a desk', ['technician', 'desk'], {}, 'desk'],
    ['technician first on a phone', ['admin', 'technician'], { narrow: true }, 'technician'],
    ['narrow without technician', ['admin', 'manager'], { narrow: true }, 'manager'],
    ['remembered choice wins', ['technician', 'admin'], { stored: 'technician' }, 'technician'],
    ['remembered role no longer held', ['admin'], { stored: 'technician' }, 'admin'],
  ])('%s', (_name, roles, opts, want) => {
    expect(defaultRole(roles, opts)).toBe(want)
  })
})

describe('session store', () => {
  it('logs in and lands on the role home', async () => {
    respond(200, { user: wang })
    const s = useSessionStore()
    await s.login('wang', 'demo123')
    expect(s.isLoggedIn).toBe(true)
    expect(s.activeRole).toBe('technician')
    expect(s.home).toBe('/m/tickets')
    expect(s.layout).toBe('mobile')
  })

  it('a desk user lands on the dispatch board', async () => {
    respond(200, { user: chen })
    const s = useSessionStore()
    await s.login('chen', 'demo123')
    expect(s.home).toBe('/d/dispatch')
    expect(s.layout).toBe('desktop')
    expect(s.hasManyRoles).toBe(false)
  })

  it('switches role and remembers it per user', async () => {
    respond(200, { user: both })
    const s = useSessionStore()
    await s.login('zhou', 'pw')
    expect(s.activeRole).toBe('admin')
    expect(s.hasManyRoles).toBe(true)
    s.setActiveRole('technician')
    expect(s.home).toBe('/m/tickets')

    setActivePinia(createPinia())
    respond(200, both)
    const again = useSessionStore()
    await again.load()
    expect(again.activeRole).toBe('technician')
  })

  it('ignores a role the user does not hold', async () => {
    respond(200, { user: chen })
    const s = useSessionStore()
    await s.login('chen', 'pw')
    s.setActiveRole('admin')
    expect(s.activeRole).toBe('desk')
  })

  it('load: 200 signs in', async () => {
    respond(200, chen)
    const s = useSessionStore()
    await s.load()
    expect(s.loaded).toBe(true)
    expect(s.me?.login).toBe('chen')
  })

  it('load: 401 means signed out, and forgets the cached user', async () => {
    localStorage.setItem('elvcare.me', JSON.stringify(wang))
    respond(401, { error: { code: 'unauthorized', message: 'x' } })
    const s = useSessionStore()
    await s.load()
    expect(s.loaded).toBe(true)
    expect(s.isLoggedIn).toBe(false)
    expect(s.expired).toBe(true)
    expect(localStorage.getItem('elvcare.me')).toBeNull()
  })

  it('load: 401 with nobody remembered is not "expired"', async () => {
    respond(401, { error: { code: 'unauthorized', message: 'x' } })
    const s = useSessionStore()
    await s.load()
    expect(s.expired).toBe(false)
  })

  it('load: offline keeps the user of the last visit', async () => {
    localStorage.setItem('elvcare.me', JSON.stringify(wang))
    configureApi({ fetch: (() => Promise.reject(new TypeError('offline'))) as typeof fetch })
    const s = useSessionStore()
    await s.load()
    expect(s.me?.name).toBe('王工')
    expect(s.home).toBe('/m/tickets')
  })

  it('load: offline with nobody cached is signed out', async () => {
    configureApi({ fetch: (() => Promise.reject(new TypeError('offline'))) as typeof fetch })
    const s = useSessionStore()
    await s.load()
    expect(s.isLoggedIn).toBe(false)
  })

  it('logout clears the session even if the call fails', async () => {
    respond(200, { user: wang })
    const s = useSessionStore()
    await s.login('wang', 'pw')
    configureApi({ fetch: (() => Promise.reject(new TypeError('offline'))) as typeof fetch })
    await expect(s.logout()).rejects.toBeTruthy()
    expect(s.isLoggedIn).toBe(false)
    expect(s.home).toBe('/login')
  })
})
