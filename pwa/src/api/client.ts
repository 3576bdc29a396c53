import { ApiError, errorFromResponse } from './errors'

/** What the client needs from the app, set once at start-up (and in tests). */
export interface ApiConfig {
  /** BCP 47 tag of the UI language, sent as Accept-Language. */
  locale: () => string
  /** Called on a 401 from any call that does not expect one. */
  onUnauthorized: () => void
  /** Texts for failures the server did not describe. */
  messages: {
    network: () => string
    status: (status: number) => string
  }
  fetch: typeof fetch
}

const defaults: ApiConfig = {
  locale: () => 'zh-CN',
  onUnauthorized: () => {},
  messages: {
    network: () => '网络连接失败，请检查网络后重试',
    status: (status) => `服务器错误（${status}）`,
  },
  fetch: (...args) => globalThis.fetch(...args),
}

let config: ApiConfig = { ...defaults }

export function configureApi(next: Partial<ApiConfig>): void {
  config = { ...config, ...next }
}

/** Back to the defaults; for tests. */
export function resetApiConfig(): void {
  config = { ...defaults }
}

export const CSRF_COOKIE = 'csrf_token'
export const CSRF_HEADER = 'X-CSRF-Token'

export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  /** JSON-encoded unless it is a Blob, which is sent raw with its own type. */
  body?: unknown
  /** Overrides the Content-Type of a raw body. */
  contentType?: string
  signal?: AbortSignal
  /**
   * A 401 is an expected answer here (the login itself, the first "who am
   * I"), not an expired session: reject without calling onUnauthorized.
   */
  expect401?: boolean
}

/**
 * The one way the app talks to the server: same-origin cookies, the CSRF
 * token on every write, the UI language, and every failure as an ApiError.
 */
export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = new Headers({ Accept: 'application/json', 'Accept-Language': config.locale() })
  if (method !== 'GET') {
    const token = readCookie(CSRF_COOKIE)
    if (token) headers.set(CSRF_HEADER, token)
  }

  let body: BodyInit | undefined
  if (opts.body instanceof Blob) {
    body = opts.body
    headers.set('Content-Type', opts.contentType ?? (opts.body.type || 'application/octet-stream'))
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers.set('Content-Type', 'application/json')
  }

  let res: Response
  try {
    res = await config.fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError({ status: 0, code: 'network', message: config.messages.network() })
  }

  if (!res.ok) {
    const err = await errorFromResponse(res, config.messages.status(res.status))
    if (res.status === 401 && !opts.expect401) config.onUnauthorized()
    throw err
  }
  if (res.status === 204 || res.headers.get('Content-Length') === '0') return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}
