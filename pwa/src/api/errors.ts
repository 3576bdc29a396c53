import type { ErrorBody } from './types'

/**
 * A failed API call. `status` is the HTTP status, or 0 when the request never
 * got an answer (offline, DNS, aborted). `message` and `fields` are meant to
 * be shown as they are: the server localizes them by Accept-Language.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Readonly<Record<string, string>>
  /** Seconds from a Retry-After header (429, 503), when given. */
  readonly retryAfter: number | undefined
  /**
   * The whole JSON answer, for routes that send more beside `error` (the
   * Excel import's `problems`).
   */
  readonly body: unknown

  constructor(init: {
    status: number
    code: string
    message: string
    fields?: Record<string, string>
    retryAfter?: number
    body?: unknown
  }) {
    super(init.message)
    this.name = 'ApiError'
    this.status = init.status
    this.code = init.code
    this.fields = init.fields ?? {}
    this.retryAfter = init.retryAfter
    this.body = init.body
  }

  get isNetwork(): boolean {
    return this.status === 0
  }

  get isUnauthorized(): boolean {
    return this.status === 401
  }

  get isValidation(): boolean {
    return this.status === 422
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false
  const err = (v as { error: unknown }).error
  return typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
}

/** Parses Retry-After: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - now) / 1000))
}

/**
 * Turns a non-2xx response into an ApiError. A body that is not our JSON
 * error shape (a proxy's HTML page, an empty 502) still gives a usable error
 * with `fallbackMessage`.
 */
export async function errorFromResponse(res: Response, fallbackMessage: string): Promise<ApiError> {
  let body: unknown
  try {
    const text = await res.text()
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  const retryAfter = parseRetryAfter(res.headers.get('Retry-After'))
  if (isErrorBody(body)) {
    const fields: Record<string, string> = {}
    for (const [k, v] of Object.entries(body.error.fields ?? {})) {
      if (typeof v === 'string') fields[k] = v
    }
    return new ApiError({
      status: res.status,
      code: typeof body.error.code === 'string' && body.error.code ? body.error.code : `http_${res.status}`,
      message: body.error.message,
      fields,
      retryAfter,
      body,
    })
  }
  return new ApiError({ status: res.status, code: `http_${res.status}`, message: fallbackMessage, retryAfter })
}
