import { watch } from 'vue'
import { Locale } from 'vant'
import vantEn from 'vant/es/locale/lang/en-US'
import vantZh from 'vant/es/locale/lang/zh-CN'
import { useUiStore } from '@/stores/ui'

/** Keeps Vant's built-in texts (dialog buttons, empty states) in the UI language. */
export function useVantLocale(): void {
  const ui = useUiStore()
  watch(
    () => ui.locale,
    (l) => (l === 'en' ? Locale.use('en-US', vantEn) : Locale.use('zh-CN', vantZh)),
    { immediate: true },
  )
}
