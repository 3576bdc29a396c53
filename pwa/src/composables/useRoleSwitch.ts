import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import type { Role } from '@/api/types'
import { useSessionStore } from '@/stores/session'

/** Switching between the roles a user holds lands on that role's home. */
export function useRoleSwitch() {
  const session = useSessionStore()
  const router = useRouter()
  const { t } = useI18n()

  const options = computed(() =>
    session.roles.map((role) => ({ role, label: t(`roles.${role}`), current: role === session.activeRole })),
  )

  async function switchTo(role: Role): Promise<void> {
    if (role === session.activeRole) return
    session.setActiveRole(role)
    await router.push(session.home)
  }

  return { options, switchTo }
}
