import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'

export type MessageSchema = typeof zhCN

declare module 'vue-i18n' {
  // Makes t('…') keys type-checked against the zh-CN file.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

/** UI languages; the first is the default. */
export const LOCALES = ['zh-CN', 'en'] as const
export type AppLocale = (typeof LOCALES)[number]

const STORAGE_KEY = 'elvcare.locale'

export function isAppLocale(v: unknown): v is AppLocale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

function storedLocale(): AppLocale {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    if (isAppLocale(v)) return v
  } catch {
    // storage can be unavailable (private mode); the default will do
  }
  return 'zh-CN'
}

// Both locales are bundled into the entry: they are small, and so both are
// precached with the shell and switching works offline.
export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

export function currentLocale(): AppLocale {
  return i18n.global.locale.value
}

/**
 * Switches the UI language: messages, <html lang>, the stored choice. Vant
 * and Element Plus follow through their layouts, which watch the locale.
 */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // not remembered across reloads; still switched now
  }
}

/** Applies the initial language to <html lang>. */
export function initLocale(): void {
  document.documentElement.lang = currentLocale()
}
