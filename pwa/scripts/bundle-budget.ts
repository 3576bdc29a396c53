// A build step that keeps the phone and desk bundles apart: for each
// layout's landing page it adds up the JS and CSS a first visit loads (the
// entry, the lazy page chunks and their static imports), gzipped, and fails
// the build if the technician's page carries Element Plus, the desk's
// carries Vant, or the technician's page outgrows its budget.
import { gzipSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Plugin } from 'vite'
import type { OutputBundle, OutputChunk } from 'rollup'

interface Journey {
  name: string
  /** Source modules of the lazy route components on the way in. */
  pages: string[]
  /** UI libraries (and other heavy modules) that must not be loaded. */
  forbid: string | string[]
  /** Gzipped JS + CSS budget in bytes, if any. */
  budget?: number
}

const JOURNEYS: Journey[] = [
  {
    name: 'technician (/m/tickets)',
    pages: ['src/views/mobile/MobileLayout.vue', 'src/views/mobile/TicketsPage.vue'],
    forbid: ['node_modules/element-plus', 'node_modules/echarts', 'node_modules/zrender'],
    budget: 250 * 1024,
  },
  {
    name: 'desk (/d/dispatch)',
    pages: ['src/views/desktop/DesktopLayout.vue', 'src/views/desktop/desk/DispatchPage.vue'],
    // ECharts belongs to the statistics page's chunk only.
    forbid: ['node_modules/vant', 'node_modules/echarts', 'node_modules/zrender'],
  },
  {
    name: 'desk statistics (/d/stats)',
    pages: ['src/views/desktop/DesktopLayout.vue', 'src/views/desktop/desk/StatsPage.vue'],
    forbid: 'node_modules/vant',
  },
  {
    name: 'desk archive (/d/customers)',
    pages: ['src/views/desktop/DesktopLayout.vue', 'src/views/desktop/archive/CustomersPage.vue'],
    forbid: 'node_modules/vant',
  },
  {
    name: 'admin (/d/users)',
    pages: ['src/views/desktop/DesktopLayout.vue', 'src/views/desktop/UsersPage.vue'],
    forbid: 'node_modules/vant',
  },
  {
    name: 'login (/login)',
    pages: ['src/views/LoginPage.vue'],
    forbid: 'node_modules/element-plus',
  },
]

export interface JourneyReport {
  name: string
  jsGzip: number
  cssGzip: number
  files: string[]
  forbiddenModules: string[]
  budget?: number
}

function isChunk(o: OutputBundle[string] | undefined): o is OutputChunk {
  return o?.type === 'chunk'
}

export function bundleBudget(opts: { reportFile?: string } = {}): Plugin {
  return {
    name: 'elvcare-bundle-budget',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter(isChunk)
      const entry = chunks.find((c) => c.isEntry)
      if (!entry) return
      const gz = (file: string) => {
        const out = bundle[file]
        if (!out) return 0
        const src = out.type === 'chunk' ? out.code : out.source
        return gzipSync(typeof src === 'string' ? Buffer.from(src) : Buffer.from(src)).length
      }

      const reports: JourneyReport[] = JOURNEYS.map((j) => {
        const roots = [entry, ...j.pages.map((p) => chunks.find((c) => c.facadeModuleId?.endsWith(p)))]
        const seen = new Set<string>()
        const stack = roots.filter((c): c is OutputChunk => !!c).map((c) => c.fileName)
        if (stack.length !== j.pages.length + 1) this.error(`bundle budget: a page of ${j.name} has no chunk`)
        while (stack.length) {
          const f = stack.pop()!
          if (seen.has(f)) continue
          seen.add(f)
          const c = bundle[f]
          if (isChunk(c)) stack.push(...c.imports)
        }
        const js = [...seen]
        const css = js.flatMap((f) => {
          const c = bundle[f]
          return isChunk(c) ? [...(c.viteMetadata?.importedCss ?? [])] : []
        })
        const forbiddenModules = js.flatMap((f) => {
          const c = bundle[f]
          const forbid = [j.forbid].flat()
          return isChunk(c) ? Object.keys(c.modules).filter((m) => forbid.some((x) => m.includes(x))) : []
        })
        return {
          name: j.name,
          jsGzip: js.reduce((n, f) => n + gz(f), 0),
          cssGzip: [...new Set(css)].reduce((n, f) => n + gz(f), 0),
          files: [...js, ...new Set(css)],
          forbiddenModules,
          budget: j.budget,
        }
      })

      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`
      for (const r of reports) {
        this.info(
          `${r.name}: JS ${kb(r.jsGzip)} + CSS ${kb(r.cssGzip)} = ${kb(r.jsGzip + r.cssGzip)} gzip` +
            (r.budget ? ` (budget ${kb(r.budget)})` : ''),
        )
      }
      if (opts.reportFile) {
        mkdirSync(opts.reportFile.replace(/\/[^/]*$/, ''), { recursive: true })
        writeFileSync(opts.reportFile, JSON.stringify(reports, null, 2) + '\n')
      }
      for (const r of reports) {
        if (r.forbiddenModules.length) {
          this.error(`bundle budget: ${r.name} loads ${r.forbiddenModules.length} forbidden modules, e.g. ${r.forbiddenModules[0]}`)
        }
        if (r.budget && r.jsGzip + r.cssGzip > r.budget) {
          this.error(`bundle budget: ${r.name} is ${kb(r.jsGzip + r.cssGzip)} gzip, over ${kb(r.budget)}`)
        }
      }
    },
  }
}
