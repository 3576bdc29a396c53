// @vitest-environment node
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript'

const read = (name: string) => readFileSync(join(__dirname, name), 'utf8')

describe('generated API schema', () => {
  it('schema.d.ts is what openapi-typescript makes of openapi.json (npm run gen:api)', async () => {
    const spec = JSON.parse(read('openapi.json')) as OpenAPI3
    const generated = astToString(await openapiTS(spec))
    const committed = read('schema.d.ts')
    const body = (s: string) => s.slice(s.indexOf('export ')).trim()
    expect(body(committed)).toBe(body(generated))
  })

  it('covers every endpoint the client calls', () => {
    const spec = JSON.parse(read('openapi.json')) as {
      paths: Record<string, Record<string, unknown>>
    }
    const called: [string, string][] = [
      ['post', '/api/auth/login'],
      ['post', '/api/auth/logout'],
      ['get', '/api/auth/me'],
      ['get', '/api/users'],
      ['post', '/api/users'],
      ['patch', '/api/users/{id}'],
      ['post', '/api/users/{id}/password'],
      ['get', '/api/settings/company'],
      ['put', '/api/settings/company'],
      ['post', '/api/settings/company/logo'],
      ['get', '/api/settings/company/logo'],
    ]
    const missing = called.filter(([m, p]) => !spec.paths[p]?.[m]).map(([m, p]) => `${m.toUpperCase()} ${p}`)
    expect(missing).toEqual([])
  })
})
