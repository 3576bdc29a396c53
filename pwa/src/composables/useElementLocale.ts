import { computed } from 'vue'
import epEn from 'element-plus/es/locale/lang/en'
import epZh from 'element-plus/es/locale/lang/zh-cn'
import { useUiStore } from '@/stores/ui'

/** Element Plus's locale for <el-config-provider>, following the UI language. */
export function useElementLocale() {
  const ui = useUiStore()
  return computed(() => (ui.locale === 'en' ? epEn : epZh))
}
