/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { VantResolver } from '@vant/auto-import-resolver'
import { VitePWA } from 'vite-plugin-pwa'
import { bundleBudget } from './scripts/bundle-budget'

/**
 * Vant's icon CSS lists a CDN copy of its font after the inlined one; the
 * app must not reach out to third parties (CSP, offline, mainland networks),
 * so keep only the inlined font.
 */
function vantIconFontLocalOnly(): Plugin {
  return {
    name: 'elvcare-vant-icon-font-local',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant[\\/]es[\\/]icon[\\/]index\.css/.test(id)) return null
      const out = code.replace(/,\s*url\((?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\(["']?woff["']?\)/g, '')
      if (out.includes('alicdn.com')) this.error('vant icon CSS changed: the CDN font URL is still there')
      return { code: out, map: null }
    },
  }
}

// The Go server (cmd/elvcare serve) during `npm run dev`.
const backend = process.env.ELVCARE_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [
    vue(),
    vantIconFontLocalOnly(),
    // Vant (phone views) and Element Plus (desk views) are resolved per
    // component where a template uses them, styles included, so each lands
    // only in the lazy chunks of its own pages.
    Components({
      dirs: [],
      dts: 'src/components.d.ts',
      resolvers: [VantResolver({ importStyle: true }), ElementPlusResolver({ importStyle: 'css' })],
    }),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      strategies: 'generateSW',
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'ELVcare 弱电售后',
        short_name: '弱电售后',
        description: '弱电系统售后服务：工单、派单、点检、回访与费用',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#1d4ed8',
        background_color: '#f5f7fa',
        categories: ['business', 'productivity'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The whole shell — phone and desk chunks, both locales (bundled in
        // the entry), icons — so the app opens with no signal after the first
        // visit.
        globPatterns: ['**/*.{js,css,html,svg,png,woff,woff2,webmanifest}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/healthz/, /^\/readyz/, /^\/q\//, /^\/s\//],
        cleanupOutdatedCaches: true,
        clientsClaim: false,
        skipWaiting: false,
      },
      devOptions: { enabled: false },
    }),
    bundleBudget({ reportFile: 'test-results/bundle-report.json' }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/readyz': backend,
      '/q/': backend,
      '/s/': backend,
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
  },
})
