import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configureApi, resetApiConfig } from './client'
import { ApiError } from './errors'
import { deskApi, isMissingRoute, normalizeBoard, type Board } from './desk'

interface Call {
  url: string
  method: string
  headers: Headers
  body: string
}

function respond(status: number, body: unknown) {
  const calls: Call[] = []
  configureApi({
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: String(init?.body ?? '') })
      return Promise.resolve(
        new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
      )
    }) as typeof fetch,
  })
  return calls
}

beforeEach(() => {
  document.cookie = 'csrf_token=tok; path=/'
})
afterEach(() => {
  resetApiConfig()
  document.cookie = 'csrf_token=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

const emptyBoard = {
  today: '2026-11-25',
  new: [],
  escalated: null,
  assigned: [],
  inProgress: null,
  returned: null,
  reopened: null,
  technicians: [{ id: 'u1', name: '王工', specialist: true, skills: null, today: 2, open: 4 }],
  conflicts: 0,
  version: 7,
} as unknown as Board

describe('deskApi', () => {
  it('reads the board with every empty list as []', async () => {
    respond(200, emptyBoard)
    const b = await deskApi.board()
    expect(b.inProgress).toEqual([])
    expect(b.returned).toEqual([])
    expect(b.reopened).toEqual([])
    expect(b.escalated).toEqual([])
    expect(b.technicians[0]!.skills).toEqual([])
    expect(b.version).toBe(7)
  })

  it('keeps lists that are there', () => {
    const b = normalizeBoard({ ...emptyBoard, returned: [{ id: 't1' }] } as unknown as Board)
    expect(b.returned).toHaveLength(1)
  })

  it('assigns with the revision shown, CSRF token and JSON body', async () => {
    const calls = respond(200, { id: 't1', rev: 3 })
    await deskApi.assign('t1', { lead: 'u1', helpers: ['u2'], baseRev: 2 })
    expect(calls[0]!.url).toBe('/api/tickets/t1/assign')
    expect(calls[0]!.method).toBe('POST')
    expect(calls[0]!.headers.get('X-CSRF-Token')).toBe('tok')
    expect(JSON.parse(calls[0]!.body)).toEqual({ lead: 'u1', helpers: ['u2'], baseRev: 2 })
  })

  it('hands over the server message when another dispatcher won (409 ticket.changed)', async () => {
    respond(409, { error: { code: 'ticket.changed', message: '李经理刚刚更新了此工单（负责人：张工，状态：已派单），请刷新后再操作' } })
    const e = await deskApi.assign('t1', { lead: 'u1', baseRev: 2 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect((e as ApiError).status).toBe(409)
    expect((e as ApiError).code).toBe('ticket.changed')
    expect((e as ApiError).message).toContain('李经理')
  })

  it('records a callback and a publication at their routes', async () => {
    const calls = respond(200, {})
    await deskApi.callback('t 1', { reached: true, solved: false, satisfaction: 'neutral' })
    await deskApi.publish('2026-11', '')
    await deskApi.publish('2026-11', '更正回访')
    expect(calls.map((c) => c.url)).toEqual([
      '/api/tickets/t%201/callback',
      '/api/stats/monthly/2026-11/publish',
      '/api/stats/monthly/2026-11/publish',
    ])
    expect(JSON.parse(calls[1]!.body)).toEqual({})
    expect(JSON.parse(calls[2]!.body)).toEqual({ note: '更正回访' })
  })

  it('builds the lookup, coverage, export and file addresses', async () => {
    const calls = respond(200, { items: [], total: 0 })
    await deskApi.contactsByPhone('138 0256 1234')
    expect(calls[0]!.url).toBe('/api/contacts?phone=138+0256+1234&pageSize=20')
    expect(deskApi.statsXlsxUrl('2026-11')).toBe('/api/stats/monthly.xlsx?month=2026-11')
    expect(deskApi.statsXlsxUrl('2026-11', 2)).toBe('/api/stats/monthly.xlsx?month=2026-11&version=2')
    expect(deskApi.blobUrl('ab12')).toBe('/api/blobs/ab12')
    expect(deskApi.formPdfUrl('t1')).toBe('/api/tickets/t1/form.pdf')
  })

  it('tells a route not there yet from a ticket not found', () => {
    expect(isMissingRoute(new ApiError({ status: 404, code: 'route_not_found', message: '' }))).toBe(true)
    expect(isMissingRoute(new ApiError({ status: 404, code: 'not_found', message: '' }))).toBe(false)
    expect(isMissingRoute(new ApiError({ status: 500, code: 'internal', message: '' }))).toBe(false)
    expect(isMissingRoute(new Error('x'))).toBe(false)
  })
})
