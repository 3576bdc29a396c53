import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { archiveApi, dispositionName, importProblems, queryString } from './archive'
import { configureApi, resetApiConfig } from './client'
import { ApiError } from './errors'

interface Call {
  url: string
  method: string
  headers: Headers
  body: BodyInit | null | undefined
}

function respond(status: number, body: unknown) {
  const calls: Call[] = []
  configureApi({
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers), body: init?.body })
      return Promise.resolve(
        new Response(body === undefined ? null : JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        }),
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
  vi.unstubAllGlobals()
  document.cookie = 'csrf_token=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'
})

describe('queryString', () => {
  it('leaves out empty and absent values', () => {
    expect(queryString({ q: '', district: undefined, coverage: null, stage: 'B', page: 1 })).toBe('?stage=B&page=1')
    expect(queryString({})).toBe('')
  })

  it('encodes Chinese and spaces', () => {
    expect(queryString({ q: '华强 物业' })).toBe('?q=%E5%8D%8E%E5%BC%BA+%E7%89%A9%E4%B8%9A')
  })

  it('keeps a zero (ending today)', () => {
    expect(queryString({ endingWithin: 0 })).toBe('?endingWithin=0')
  })
})

describe('archiveApi', () => {
  it('lists customers with the filters as a query', async () => {
    const calls = respond(200, { items: [], total: 0 })
    const res = await archiveApi.customers({ q: '华强', district: '福田区', coverage: 'annual', stage: '', endingWithin: 30, page: 2, pageSize: 20 })
    expect(res).toEqual({ items: [], total: 0 })
    expect(calls[0]!.method).toBe('GET')
    expect(decodeURIComponent(calls[0]!.url)).toBe('/api/customers?q=华强&district=福田区&coverage=annual&endingWithin=30&page=2&pageSize=20')
  })

  it('writes with the CSRF token and JSON', async () => {
    const calls = respond(201, { id: 'c1', name: '深圳市华强物业管理有限公司', kind: 'company' })
    await archiveApi.createCustomer({ name: '深圳市华强物业管理有限公司', kind: 'company' })
    expect(calls[0]!.method).toBe('POST')
    expect(calls[0]!.url).toBe('/api/customers')
    expect(calls[0]!.headers.get('X-CSRF-Token')).toBe('tok')
    expect(calls[0]!.headers.get('Content-Type')).toBe('application/json')
    expect(JSON.parse(String(calls[0]!.body))).toEqual({ name: '深圳市华强物业管理有限公司', kind: 'company' })
  })

  it('names each route as the server does', async () => {
    const calls = respond(200, {})
    await archiveApi.customer('a/b')
    await archiveApi.updateCustomer('c1', { note: 'x' })
    await archiveApi.serviceArchive('c1')
    await archiveApi.createSite({ customerId: 'c1', name: '华强大厦', address: '华强北路', district: '福田' })
    await archiveApi.updateSite('s1', { name: 'x' })
    await archiveApi.createContact({ customerId: 'c1', name: '陈经理', phones: ['13802561234'] })
    await archiveApi.updateContact('p1', { title: '经理' })
    await archiveApi.contract('k1')
    await archiveApi.contractsEnding(60)
    await archiveApi.createContract({
      customerId: 'c1',
      number: 'HQ-1',
      kind: 'annual',
      covers: [{ siteId: 's1', system: 'cctv' }],
      startDate: '2026-04-01',
      endDate: '2027-03-31',
      annualPriceFen: 3860000,
    })
    await archiveApi.updateContract('k1', { note: 'x' })
    await archiveApi.moveStage('k1', { stage: 'Y', note: '完工' })
    await archiveApi.recordAudit('k1', { verdict: 'pass' })
    await archiveApi.renew('k1', { number: 'HQ-2', kind: 'annual', covers: [], startDate: '2027-04-01', endDate: '2028-03-31' })
    await archiveApi.createEquipment({ siteId: 's1', itemType: 'cctv.recorder', attributes: {} })
    await archiveApi.updateEquipment('e1', { model: 'x' })
    await archiveApi.setCredential('e1', { username: 'admin', password: 'p' })
    await archiveApi.revealCredential('e1')
    await archiveApi.reference()
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/customers/a%2Fb',
      'PATCH /api/customers/c1',
      'GET /api/customers/c1/service-archive',
      'POST /api/sites',
      'PATCH /api/sites/s1',
      'POST /api/contacts',
      'PATCH /api/contacts/p1',
      'GET /api/contracts/k1',
      'GET /api/contracts/ending?days=60',
      'POST /api/contracts',
      'PATCH /api/contracts/k1',
      'POST /api/contracts/k1/stage',
      'POST /api/contracts/k1/audit',
      'POST /api/contracts/k1/renew',
      'POST /api/equipment',
      'PATCH /api/equipment/e1',
      'POST /api/equipment/e1/credential',
      'POST /api/equipment/e1/credential/reveal',
      'GET /api/reference',
    ])
  })

  it('uploads a file raw, named in the query', async () => {
    const calls = respond(201, { hash: 'h', name: '竣工图纸.pdf', contentType: 'application/pdf', size: 4, uploadedBy: 'u', at: 'x' })
    const file = new File(['%PDF'], '竣工图纸.pdf', { type: 'application/pdf' })
    const rec = await archiveApi.uploadFile(file, file.name)
    expect(rec.name).toBe('竣工图纸.pdf')
    expect(decodeURIComponent(calls[0]!.url)).toBe('/api/files?name=竣工图纸.pdf')
    expect(calls[0]!.headers.get('Content-Type')).toBe('application/pdf')
    expect(calls[0]!.body).toBe(file)
  })

  it('checks a workbook with dryRun=1 and imports it without', async () => {
    const calls = respond(200, { imported: { customers: 1, sites: 1, contacts: 1, contracts: 1, equipment: 3 }, dryRun: true })
    const book = new Blob(['PK'])
    await archiveApi.importWorkbook(book, { dryRun: true })
    await archiveApi.importWorkbook(book, { dryRun: false })
    expect(calls.map((c) => c.url)).toEqual(['/api/archive/import?dryRun=1', '/api/archive/import'])
    expect(calls[0]!.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  })

  it('keeps the problems of a refused import', async () => {
    const example = JSON.parse(readFileSync(join(__dirname, '../../../docs/import-error-example.json'), 'utf8'))
    respond(422, example)
    const err = await archiveApi.importWorkbook(new Blob(['PK']), { dryRun: true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const p = importProblems(err)
    expect(p?.problems).toHaveLength(7)
    expect(p?.problems[2]).toMatchObject({ sheet: '联系人', row: 4, column: '电话', value: '1234', message: '电话号码格式不正确' })
    expect(p?.truncated).toBe(false)
    expect((err as ApiError).message).toMatch(/共有 7 处错误/)
  })

  it('has no problems for other failures', async () => {
    respond(422, { error: { code: 'invalid', message: 'm', fields: { name: '必填' } } })
    const err = await archiveApi.createCustomer({ name: '', kind: 'company' }).catch((e: unknown) => e)
    expect(importProblems(err)).toBeNull()
    expect((err as ApiError).fields).toEqual({ name: '必填' })
    expect(importProblems(new Error('x'))).toBeNull()
  })

  it('reads a stored file’s name from its download headers', async () => {
    const cancel = vi.fn(() => Promise.resolve())
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve({
          ok: true,
          headers: new Headers({ 'Content-Disposition': "inline; filename*=UTF-8''XMH-%E5%9B%BE%E7%BA%B8.pdf" }),
          body: { cancel },
        }),
      ),
    )
    expect(await archiveApi.fileName('abc')).toBe('XMH-图纸.pdf')
    expect(cancel).toHaveBeenCalled()
  })
})

describe('dispositionName', () => {
  it('prefers the UTF-8 name', () => {
    expect(dispositionName(`attachment; filename="archive-template.xlsx"; filename*=UTF-8''%E5%AE%A2%E6%88%B7.xlsx`)).toBe('客户.xlsx')
  })
  it('falls back to the plain name', () => {
    expect(dispositionName('attachment; filename="a.pdf"')).toBe('a.pdf')
    expect(dispositionName(null)).toBe('')
  })
})

describe('the spec', () => {
  it('has every archive route the client calls', () => {
    const spec = JSON.parse(readFileSync(join(__dirname, 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, unknown>>
    }
    const called: [string, string][] = [
      ['get', '/api/reference'],
      ['get', '/api/customers'],
      ['post', '/api/customers'],
      ['get', '/api/customers/{id}'],
      ['patch', '/api/customers/{id}'],
      ['get', '/api/customers/{id}/service-archive'],
      ['post', '/api/sites'],
      ['patch', '/api/sites/{id}'],
      ['post', '/api/contacts'],
      ['patch', '/api/contacts/{id}'],
      ['get', '/api/contracts/{id}'],
      ['get', '/api/contracts/ending'],
      ['post', '/api/contracts'],
      ['patch', '/api/contracts/{id}'],
      ['post', '/api/contracts/{id}/stage'],
      ['post', '/api/contracts/{id}/audit'],
      ['post', '/api/contracts/{id}/renew'],
      ['post', '/api/equipment'],
      ['patch', '/api/equipment/{id}'],
      ['post', '/api/equipment/{id}/credential'],
      ['post', '/api/equipment/{id}/credential/reveal'],
      ['post', '/api/files'],
      ['get', '/api/files/{hash}'],
      ['get', '/api/archive/template.xlsx'],
      ['post', '/api/archive/import'],
      ['get', '/api/archive/export.xlsx'],
    ]
    expect(called.filter(([m, p]) => !spec.paths[p]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`)).toEqual([])
  })
})
