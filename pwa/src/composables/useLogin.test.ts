import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { configureApi, resetApiConfig } from '@/api/client'
import type * as VueI18n from 'vue-i18n'
import { i18n } from '@/i18n'
import { logoProblem } from './useCompanySettings'
import { useLogin } from './useLogin'

vi.mock('vue-i18n', async (orig) => {
  const mod = await orig<typeof VueI18n>()
  return { ...mod, useI18n: () => i18n.global }
})

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  configureApi({
    fetch: (() =>
      Promise.resolve(
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
      )) as typeof fetch,
  })
}

function run() {
  const scope = effectScope()
  const login = scope.run(() => useLogin())!
  return { ...login, stop: () => scope.stop() }
}

beforeEach(() => {
  setActivePinia(createPinia())
  i18n.global.locale.value = 'zh-CN'
})
afterEach(() => {
  resetApiConfig()
  vi.useRealTimers()
})

describe('useLogin', () => {
  it('says clearly that the credentials are wrong', async () => {
    respond(401, { error: { code: 'unauthorized', message: 'whatever the server says' } })
    const l = run()
    expect(await l.submit('admin', 'nope')).toBe(false)
    expect(l.message.value).toBe('账号或密码不正确')
    l.stop()
  })

  it('in English too', async () => {
    i18n.global.locale.value = 'en'
    respond(401, { error: { code: 'unauthorized', message: 'x' } })
    const l = run()
    await l.submit('admin', 'nope')
    expect(l.message.value).toBe('Incorrect username or password')
    l.stop()
  })

  it('counts down while throttled and refuses to submit', async () => {
    vi.useFakeTimers()
    respond(429, { error: { code: 'rate_limited', message: 'x' } }, { 'Retry-After': '3' })
    const l = run()
    await l.submit('admin', 'nope')
    expect(l.message.value).toBe('尝试次数过多，请 3 秒后再试')
    expect(await l.submit('admin', 'again')).toBe(false)
    vi.advanceTimersByTime(1000)
    expect(l.message.value).toBe('尝试次数过多，请 2 秒后再试')
    vi.advanceTimersByTime(2000)
    expect(l.retryIn.value).toBe(0)
    expect(l.message.value).toBe('')
    l.stop()
  })

  it('throttled without Retry-After', async () => {
    respond(429, { error: { code: 'rate_limited', message: 'x' } })
    const l = run()
    await l.submit('admin', 'nope')
    expect(l.message.value).toBe('尝试次数过多，请稍后再试')
    l.stop()
  })

  it('shows the server message for other failures', async () => {
    respond(507, { error: { code: 'storage_full', message: '服务器存储空间不足' } })
    const l = run()
    await l.submit('admin', 'x')
    expect(l.message.value).toBe('服务器存储空间不足')
    l.stop()
  })

  it('signs in', async () => {
    respond(200, { user: { id: '1', login: 'admin', name: '管理员', roles: ['admin'], specialist: false, skills: [] } })
    const l = run()
    expect(await l.submit(' admin ', 'admin123')).toBe(true)
    expect(l.message.value).toBe('')
    l.stop()
  })
})

describe('logoProblem', () => {
  it.each([
    ['png ok', { type: 'image/png', size: 1000 }, null],
    ['jpeg at the limit', { type: 'image/jpeg', size: 512 * 1024 }, null],
    ['too big', { type: 'image/png', size: 512 * 1024 + 1 }, 'size'],
    ['svg refused', { type: 'image/svg+xml', size: 10 }, 'type'],
    ['gif refused', { type: 'image/gif', size: 10 }, 'type'],
  ])('%s', (_n, file, want) => {
    expect(logoProblem(file)).toBe(want)
  })
})
