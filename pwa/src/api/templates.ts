// Checklist templates, for the admin's editor. Technicians get templates
// through the sync pull, not from here.
import { request } from './client'
import type { ChecklistTemplate } from './field'
import type { components } from './schema'
import type { System } from './types'

/** A template in the admin's list. */
export type TemplateInfo = Omit<components['schemas']['SyncTemplateInfo'], 'system'> & { system: System }

const enc = encodeURIComponent

export const templatesApi = {
  list: () => request<TemplateInfo[]>('GET', '/api/templates'),
  get: (id: string) => request<ChecklistTemplate>('GET', `/api/templates/${enc(id)}`),
  /** Creates the template (baseVersion 0) or saves its next version. */
  save: (id: string, template: Omit<ChecklistTemplate, 'id' | 'version'>, baseVersion: number) =>
    request<ChecklistTemplate>('PUT', `/api/templates/${enc(id)}`, {
      body: { template: { ...template, id, version: 0 }, baseVersion },
    }),
}
