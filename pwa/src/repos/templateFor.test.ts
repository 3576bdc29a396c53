import { describe, expect, it } from 'vitest'
import type { ChecklistTemplate } from '@/api/field'
import { templateFor } from './tickets'

const tpl = (id: string, system: string, version = 1) => ({ id, system, version, title: id, sections: [] }) as unknown as ChecklistTemplate

describe('templateFor', () => {
  const all = [tpl('builtin.alarm.pm', 'alarm'), tpl('custom.alarm.v2', 'alarm', 3), tpl('custom.alarm.old', 'alarm', 1), tpl('custom.cctv.pm', 'cctv')]

  it('uses the template the ticket names', () => {
    expect(templateFor(all, { system: 'alarm', templateId: 'builtin.alarm.pm' })?.id).toBe('builtin.alarm.pm')
  })

  it('else the newest template an admin made for the system', () => {
    expect(templateFor(all, { system: 'alarm' })?.id).toBe('custom.alarm.v2')
    expect(templateFor(all, { system: 'cctv', templateId: 'custom.gone' })?.id).toBe('custom.cctv.pm')
  })

  it('else the built-in one, or none', () => {
    expect(templateFor([tpl('builtin.alarm.pm', 'alarm')], { system: 'alarm' })?.id).toBe('builtin.alarm.pm')
    expect(templateFor(all, { system: 'pa' })).toBeUndefined()
    expect(templateFor(all, undefined)).toBeUndefined()
  })
})
