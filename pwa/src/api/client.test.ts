import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { configureApi, request, resetApiConfig } from './client'
import { ApiError, parseRetryAfter } from './errors'
import { authApi, companyApi, usersApi } from './index'

type FetchArgs = [RequestInfo | URL, RequestInit | undefined]

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

function setup(response: Response | (() => Promise<Response>)) {
  const calls: FetchArgs[] = []
  const onUnauthorized = vi.fn()
  configureApi({
    locale: () => 'zh-CN',
    onUnauthorized,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      calls.push([input, init])
      return typeof response === 'function' ? response() : Promise.resolve(response.clone())
    }) as typeof fetch,
  })
  const headers = (i = 0) => new Headers(calls[i]![1]!.headers)
  return { calls, headers, onUnauthorized }
}

function clearCookies() {
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0]!.trim()
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  }
}

beforeEach(clearCookies)
afterEach(() => {
  resetApiConfig()
  clearCookies()
})

describe('request headers', () => {
  it('sends the CSRF cookie as X-CSRF-Token on writes', async () => {
    document.cookie = 'csrf_token=tok%2Ben; path=/'
    const { headers, calls } = setup(jsonResponse(200, { user: { id: '1' } }))
    await authApi.login({ login: 'admin', password: 'admin123' })
    expect(headers().get('X-CSRF-Token')).toBe('tok+en')
    expect(calls[0]![1]!.method).toBe('POST')
    expect(calls[0]![1]!.credentials).toBe('same-origin')
  })

  it('sends the CSRF token on PUT, PATCH and POST alike', async () => {
    document.cookie = 'csrf_token=abc; path=/'
    const { headers } = setup(jsonResponse(200, {}))
    await usersApi.update('u1', { disabled: true })
    await companyApi.update({ name: 'n', address: '', hotline: '' })
    await usersApi.setPassword('u1', 'secret99')
    for (const i of [0, 1, 2]) expect(headers(i).get('X-CSRF-Token')).toBe('abc')
  })

  it('does not send the CSRF token on GET', async () => {
    document.cookie = 'csrf_token=abc; path=/'
    const { headers } = setup(jsonResponse(200, { items: [], total: 0 }))
    await usersApi.list()
    expect(headers().has('X-CSRF-Token')).toBe(false)
  })

  it('omits the header when there is no CSRF cookie yet', async () => {
    const { headers } = setup(jsonResponse(200, { user: {} }))
    await authApi.login({ login: 'a', password: 'b' })
    expect(headers().has('X-CSRF-Token')).toBe(false)
  })

  it('sends Accept-Language of the current locale', async () => {
    let locale = 'zh-CN'
    const { headers } = setup(jsonResponse(200, {}))
    configureApi({ locale: () => locale })
    await companyApi.get()
    locale = 'en'
    await companyApi.get()
    expect(headers(0).get('Accept-Language')).toBe('zh-CN')
    expect(headers(1).get('Accept-Language')).toBe('en')
  })

  it('encodes JSON bodies', async () => {
    const { calls, headers } = setup(jsonResponse(201, { id: 'x' }))
    await usersApi.create({ login: 'li', name: '李经理', password: 'pw', roles: ['manager'], specialist: false, skills: [] })
    expect(headers().get('Content-Type')).toBe('application/json')
    expect(JSON.parse(calls[0]![1]!.body as string)).toMatchObject({ login: 'li', roles: ['manager'] })
  })

  it('sends a logo as the raw image with its type', async () => {
    const { calls, headers } = setup(jsonResponse(200, { name: 'x', address: '', hotline: '', logoHash: 'h' }))
    const png = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' })
    await companyApi.uploadLogo(png)
    expect(headers().get('Content-Type')).toBe('image/png')
    expect(calls[0]![1]!.body).toBe(png)
  })

  it('escapes ids in paths', async () => {
    const { calls } = setup(jsonResponse(200, {}))
    await usersApi.update('a/b', { name: 'x' })
    expect(calls[0]![0]).toBe('/api/users/a%2Fb')
  })
})

describe('responses', () => {
  it('returns undefined for 204', async () => {
    setup(new Response(null, { status: 204 }))
    await expect(authApi.logout()).resolves.toBeUndefined()
  })

  it('parses the JSON body', async () => {
    setup(jsonResponse(200, { items: [{ id: '1' }], total: 1 }))
    await expect(usersApi.list()).resolves.toEqual({ items: [{ id: '1' }], total: 1 })
  })
})

describe('errors', () => {
  it('turns the error body into an ApiError with fields', async () => {
    setup(
      jsonResponse(422, {
        error: { code: 'invalid', message: '请检查输入', fields: { login: '登录名已存在', name: '请输入姓名' } },
      }),
    )
    const err = await usersApi
      .create({ login: 'x', name: '', password: 'p', roles: [], specialist: false, skills: [] })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as ApiError
    expect(e.status).toBe(422)
    expect(e.code).toBe('invalid')
    expect(e.message).toBe('请检查输入')
    expect(e.fields).toEqual({ login: '登录名已存在', name: '请输入姓名' })
    expect(e.isValidation).toBe(true)
  })

  it('reads Retry-After on 429', async () => {
    setup(jsonResponse(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '42' }))
    const e = (await authApi.login({ login: 'a', password: 'b' }).catch((x: unknown) => x)) as ApiError
    expect(e.status).toBe(429)
    expect(e.retryAfter).toBe(42)
  })

  it('gives a usable error when the body is not ours', async () => {
    setup(new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }))
    configureApi({ messages: { network: () => 'net', status: (s) => `状态 ${s}` } })
    const e = (await companyApi.get().catch((x: unknown) => x)) as ApiError
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(502)
    expect(e.code).toBe('http_502')
    expect(e.message).toBe('状态 502')
    expect(e.fields).toEqual({})
  })

  it('reports a network failure as status 0', async () => {
    setup(() => Promise.reject(new TypeError('Failed to fetch')))
    configureApi({ messages: { network: () => '网络连接失败', status: () => '' } })
    const e = (await companyApi.get().catch((x: unknown) => x)) as ApiError
    expect(e.status).toBe(0)
    expect(e.isNetwork).toBe(true)
    expect(e.message).toBe('网络连接失败')
  })
})

describe('401 handling', () => {
  const body = { error: { code: 'unauthorized', message: '请先登录' } }

  it('calls onUnauthorized on a 401 from an ordinary call', async () => {
    const { onUnauthorized } = setup(jsonResponse(401, body))
    await expect(usersApi.list()).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('does not for the login call itself', async () => {
    const { onUnauthorized } = setup(jsonResponse(401, body))
    await expect(authApi.login({ login: 'a', password: 'wrong' })).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not for the start-up "who am I"', async () => {
    const { onUnauthorized } = setup(jsonResponse(401, body))
    await expect(authApi.me()).rejects.toMatchObject({ status: 401 })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not on other errors', async () => {
    const { onUnauthorized } = setup(jsonResponse(403, { error: { code: 'forbidden', message: 'no' } }))
    await expect(usersApi.list()).rejects.toMatchObject({ status: 403 })
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

describe('parseRetryAfter', () => {
  it.each([
    ['seconds', '30', 30],
    ['padded', ' 7 ', 7],
    ['missing', null, undefined],
    ['garbage', 'soon', undefined],
  ])('%s', (_name, value, want) => {
    expect(parseRetryAfter(value)).toBe(want)
  })

  it('accepts an HTTP date', () => {
    const now = Date.parse('2026-11-25T08:00:00Z')
    expect(parseRetryAfter('Wed, 25 Nov 2026 08:01:00 GMT', now)).toBe(60)
  })
})

describe('request', () => {
  it('rethrows an abort as is', async () => {
    setup(() => Promise.reject(new DOMException('aborted', 'AbortError')))
    await expect(request('GET', '/api/x')).rejects.toMatchObject({ name: 'AbortError' })
  })
})
