import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROLES, SYSTEMS } from '@/api/types'
import en from './locales/en.json'
import zhCN from './locales/zh-CN.json'

type Tree = { [k: string]: string | Tree }

const locales: Record<string, Tree> = { 'zh-CN': zhCN, en }

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
  }
  return out
}

function unsorted(tree: Tree, prefix = ''): string[] {
  const keys = Object.keys(tree)
  const bad = keys.join() === [...keys].sort().join() ? [] : [prefix || '(top)']
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v !== 'string') bad.push(...unsorted(v, prefix ? `${prefix}.${k}` : k))
  }
  return bad
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('locales', () => {
  const zh = leaves(zhCN)
  const enLeaves = leaves(en)

  it('have the same keys', () => {
    expect([...enLeaves.keys()].filter((k) => !zh.has(k))).toEqual([])
    expect([...zh.keys()].filter((k) => !enLeaves.has(k))).toEqual([])
  })

  it.each(Object.keys(locales))('%s has its keys sorted at every level (npm run sort:locales)', (name) => {
    expect(unsorted(locales[name]!)).toEqual([])
  })

  it.each(Object.keys(locales))('%s has no empty messages', (name) => {
    expect([...leaves(locales[name]!)].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([])
  })

  it('use the same placeholders in both languages', () => {
    const mismatched = [...zh].filter(([k, v]) => placeholders(v).join() !== placeholders(enLeaves.get(k) ?? '').join())
    expect(mismatched.map(([k]) => k)).toEqual([])
  })

  it('name every role and system', () => {
    for (const r of ROLES) expect(zh.has(`roles.${r}`), r).toBe(true)
    for (const s of SYSTEMS) expect(zh.has(`systems.${s}`), s).toBe(true)
  })

  it('use the Chinese terms users know', () => {
    expect(zhCN.roles).toEqual({
      admin: '管理员',
      desk: '客户服务中心',
      finance: '财务',
      manager: '工程部经理',
      technician: '技术人员',
    })
    expect(zhCN.login.wrongCredentials).toBe('账号或密码不正确')
    expect(zhCN.login.throttled).toBe('尝试次数过多，请 {seconds} 秒后再试')
    expect(zhCN.common.sessionExpired).toBe('登录已过期，请重新登录')
  })

  it('contain every literal key the source uses', () => {
    const root = join(__dirname, '..')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else if (/\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.test.ts')) files.push(p)
      }
    }
    walk(root)
    const missing: string[] = []
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\$?\bt\(\s*'([\w.-]+)'/g)) {
        if (!zh.has(m[1]!)) missing.push(`${m[1]} (${f.slice(root.length + 1)})`)
      }
    }
    expect(missing).toEqual([])
  })
})
