// Rewrites src/i18n/locales/*.json with keys sorted at every level, so the
// files stay diff-friendly (a unit test fails when they are not).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../src/i18n/locales/', import.meta.url))

/** @param {unknown} v @returns {unknown} */
function sortDeep(v) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
  /** @type {Record<string, unknown>} */
  const out = {}
  for (const k of Object.keys(v).sort()) out[k] = sortDeep(/** @type {Record<string, unknown>} */ (v)[k])
  return out
}

for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const path = dir + name
  const sorted = JSON.stringify(sortDeep(JSON.parse(readFileSync(path, 'utf8'))), null, 2) + '\n'
  writeFileSync(path, sorted)
}
