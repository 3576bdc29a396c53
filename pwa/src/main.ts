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
app.use(router)
initLocale()
void ui.loadCompany()

void router.isReady().then(() => app.mount('#app'))
