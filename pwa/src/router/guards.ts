import type { Router } from 'vue-router'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { useUiStore } from '@/stores/ui'

/**
 * Sign-in and role checks: every page but the login needs a user; a page
 * of a role the user does not hold sends them home; visiting a page of
 * another role they hold switches to it.
 */
export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    if (!session.loaded) await session.load()

    if (to.meta.public) {
      return to.name === 'login' && session.isLoggedIn && session.activeRole ? session.home : true
    }
    if (!session.isLoggedIn) {
      if (session.expired) {
        useUiStore().setNotice(i18n.global.t('common.sessionExpired'))
        session.expired = false
      }
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
    }
    const role = to.meta.role
    if (!role || !session.hasRole(role)) return session.home
    if (role !== session.activeRole) session.setActiveRole(role)
    return true
  })

  router.afterEach(() => updateTitle(router))
}

/** Sets the document title from the current page (also after a language switch). */
export function updateTitle(router: Router): void {
  const { t } = i18n.global
  const title = router.currentRoute.value.meta.title
  document.title = title ? `${t(title)} · ${t('app.name')}` : t('app.name')
}
