import { computed, onScopeDispose, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { isApiError } from '@/api'
import { useSessionStore } from '@/stores/session'

/**
 * The login form's behaviour: one request at a time, a clear message for
 * wrong credentials, and a live countdown while the server throttles.
 */
export function useLogin() {
  const session = useSessionStore()
  const { t } = useI18n()

  const busy = ref(false)
  const error = ref('')
  /** Seconds until the server accepts another attempt (after a 429). */
  const retryIn = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  function stopCountdown() {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
  }

  function startCountdown(seconds: number) {
    stopCountdown()
    retryIn.value = seconds
    timer = setInterval(() => {
      retryIn.value = Math.max(0, retryIn.value - 1)
      if (retryIn.value === 0) stopCountdown()
    }, 1000)
  }

  onScopeDispose(stopCountdown)

  const message = computed(() =>
    retryIn.value > 0 ? t('login.throttled', { seconds: retryIn.value }) : error.value,
  )

  /** Resolves true when signed in; otherwise `message` says why not. */
  async function submit(login: string, password: string): Promise<boolean> {
    if (busy.value || retryIn.value > 0) return false
    busy.value = true
    error.value = ''
    try {
      await session.login(login.trim(), password)
      return true
    } catch (e) {
      if (!isApiError(e)) throw e
      if (e.status === 401) {
        error.value = t('login.wrongCredentials')
      } else if (e.status === 429) {
        if (e.retryAfter && e.retryAfter > 0) startCountdown(e.retryAfter)
        else error.value = t('login.throttledLater')
      } else {
        error.value = e.message
      }
      return false
    } finally {
      busy.value = false
    }
  }

  function clearError() {
    error.value = ''
  }

  return { busy, message, retryIn, submit, clearError }
}
