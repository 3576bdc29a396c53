import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { configureApi } from './api'
import { currentLocale, i18n, initLocale } from './i18n'
import { router } from './router'
import { installGuards } from './router/guards'
import { useSessionStore } from './stores/session'
import { useUiStore } from './stores/ui'
import './styles/base.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)

const session = useSessionStore(pinia)
const ui = useUiStore(pinia)
const { t } = i18n.global

configureApi({
  locale: currentLocale,
  messages: {
    network: () => t('common.networkError'),
    status: (status) => t('common.serverError', { status }),
  },
  // The session ended on the server (expired, revoked, user disabled).
  onUnauthorized: () => {
    const current = router.currentRoute.value
    if (current.meta.public) return
    if (session.isLoggedIn) ui.setNotice(t('common.sessionExpired'))
    session.clear()
    void router.replace({ name: 'login', query: current.fullPath === '/' ? {} : { redirect: current.fullPath } })
  },
})

installGuards(router)

// After a deploy, an open tab may ask for page chunks that no longer exist:
// load the page afresh once instead of leaving it blank.
const RELOADED_KEY = 'elvcare.chunkReload'
router.onError((err, to) => {
  const stale = /dynamically imported module|Importing a module script failed|error loading dynamically/i
  if (stale.test(String(err)) && !sessionStorage.getItem(RELOADED_KEY)) {
    sessionStorage.setItem(RELOADED_KEY, '1')
    window.location.assign(to.fullPath)
  }
})
router.afterEach(() => sessionStorage.removeItem(RELOADED_KEY))

app.use(router)
initLocale()
void ui.loadCompany()

void router.isReady().finally(() => app.mount('#app'))
