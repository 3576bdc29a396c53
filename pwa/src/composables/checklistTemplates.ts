// Checklist templates for the admin's editor: the API behind it, and the
// plain-text side of it — what the admin edits is the template as JSON,
// without the id and version the server owns; these helpers make that
// text, read it back, and say which part of the template a server message
// is about.
import type { ChecklistTemplate } from '@/api/field'
import { templatesApi, type TemplateInfo } from '@/api/templates'
import type { System } from '@/api/types'

export type { ChecklistTemplate, TemplateInfo }
export { isApiError } from '@/api'

/** The admin's template calls: list, get, and save (create or next version). */
export function useChecklistTemplates() {
  return templatesApi
}

/** The editable part of a template. */
export type TemplateBody = Omit<ChecklistTemplate, 'id' | 'version'>

/** A new template's starting point: one section with a choice, a count and a text item. */
export function templateSkeleton(system: System, title: string): TemplateBody {
  return {
    system,
    title,
    sections: [
      {
        key: 'main',
        title: '主机',
        items: [
          {
            key: 'main.dust',
            text: '主机除尘',
            kind: 'choice',
            options: [
              { key: 'cleaned', label: '已清理' },
              { key: 'not_cleaned', label: '未清理', abnormal: true },
            ],
          },
          {
            key: 'device.check',
            text: '前端设备检查',
            kind: 'count',
            unit: '个',
            counters: [
              { key: 'checked', label: '检查' },
              { key: 'normal', label: '正常', atMost: 'checked' },
            ],
          },
          { key: 'main.note', text: '其他情况说明', kind: 'text' },
        ],
      },
    ],
  }
}

/** The text the editor shows for a template. */
export function toEditorText(t: TemplateBody | ChecklistTemplate): string {
  const { system, title, sections } = t
  return JSON.stringify({ system, title, sections }, null, 2)
}

export type ParseResult =
  | { ok: true; body: TemplateBody }
  | { ok: false; reason: 'syntax'; line: number }
  | { ok: false; reason: 'shape' }

/** Reads the editor's text back; a syntax error says on which line. */
export function parseEditorText(text: string): ParseResult {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    return { ok: false, reason: 'syntax', line: errorLine(text, e) }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'shape' }
  const o = v as Record<string, unknown>
  if ('id' in o || 'version' in o) {
    // The id is typed above the text and the version is the server's.
    delete o.id
    delete o.version
  }
  return { ok: true, body: o as unknown as TemplateBody }
}

function errorLine(text: string, e: unknown): number {
  const msg = e instanceof Error ? e.message : ''
  const line = /line (\d+)/.exec(msg)
  if (line) return Number(line[1])
  const pos = /position (\d+)/.exec(msg)
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length
  return text.trimEnd().split('\n').length
}

/** Ordinal labels of a field path, for a person: sections[0].items[1].key → [1, 2, 'key']. */
export interface FieldPlace {
  section?: number
  item?: number
  option?: number
  counter?: number
  field: string
}

export function fieldPlace(path: string): FieldPlace {
  const place: FieldPlace = { field: path }
  const re = /(sections|items|options|counters)\[(\d+)\]\.?/g
  let rest = path
  for (const m of path.matchAll(re)) {
    const n = Number(m[2]) + 1
    if (m[1] === 'sections') place.section = n
    if (m[1] === 'items') place.item = n
    if (m[1] === 'options') place.option = n
    if (m[1] === 'counters') place.counter = n
    rest = rest.replace(m[0], '')
  }
  place.field = rest
  return place
}
