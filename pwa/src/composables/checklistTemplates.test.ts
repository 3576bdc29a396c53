import { describe, expect, it } from 'vitest'
import { fieldPlace, parseEditorText, templateSkeleton, toEditorText } from './checklistTemplates'

describe('template editor text', () => {
  it('round-trips a template without its id and version', () => {
    const body = templateSkeleton('cctv', '闭路监控系统点检')
    const text = toEditorText({ id: 'custom.cctv', version: 3, ...body })
    expect(text).not.toContain('"id"')
    expect(text).not.toContain('"version"')
    const back = parseEditorText(text)
    expect(back).toEqual({ ok: true, body })
  })

  it('says on which line the text stops being JSON', () => {
    const text = '{\n  "system": "cctv",\n  "title": "x",\n  "sections": [\n}'
    const r = parseEditorText(text)
    expect(r.ok).toBe(false)
    if (!r.ok && r.reason === 'syntax') expect(r.line).toBeGreaterThanOrEqual(4)
    else throw new Error('not a syntax error')
  })

  it('refuses text that is not one object', () => {
    expect(parseEditorText('[1, 2]')).toEqual({ ok: false, reason: 'shape' })
    expect(parseEditorText('"模板"')).toEqual({ ok: false, reason: 'shape' })
  })

  it('drops an id or version typed into the text', () => {
    const r = parseEditorText('{"id":"x","version":9,"system":"pa","title":"t","sections":[]}')
    expect(r).toEqual({ ok: true, body: { system: 'pa', title: 't', sections: [] } })
  })

  it('places a server message in the template', () => {
    expect(fieldPlace('sections[0].items[1].counters[2].atMost')).toEqual({ section: 1, item: 2, counter: 3, field: 'atMost' })
    expect(fieldPlace('sections[2].title')).toEqual({ section: 3, field: 'title' })
    expect(fieldPlace('sections[0].items[0].options')).toEqual({ section: 1, item: 1, field: 'options' })
    expect(fieldPlace('title')).toEqual({ field: 'title' })
  })
})
