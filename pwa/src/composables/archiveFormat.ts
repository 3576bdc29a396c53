// How the archive reads on the desk: coverage and stage tags, money in 元
// from fen, phone numbers grouped as people say them, the stage moves a
// contract allows, dates and map links. Pure functions, so views and tests
// share them.
import type { ContractKind, ContractStage, CoverageKind } from '@/api/archive'

/** Element Plus tag types. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/**
 * The colour of a coverage: 保内 green, 按年合同 blue, 按次合同 grey, none
 * red-ish (the visit is billed).
 */
export function coverageTagType(kind: CoverageKind): TagType {
  switch (kind) {
    case 'warranty':
      return 'success'
    case 'annual':
      return 'primary'
    case 'per_visit':
      return 'info'
    default:
      return 'danger'
  }
}

/** The colour of a contract stage: what needs the desk stands out (Y audit, S follow-up). */
export function stageTagType(stage: ContractStage): TagType {
  switch (stage) {
    case 'Q':
      return 'primary'
    case 'Y':
      return 'warning'
    case 'B':
      return 'success'
    default:
      return 'danger'
  }
}

/**
 * The stages a contract may move to next (docs/api-archive.md): project
 * Q→Y→B→S, annual Q→B→S or Q→Y→B→S, per-visit Q→B→S; nothing after S
 * (a renewal starts a new contract at Q).
 */
export function nextStages(kind: ContractKind, stage: ContractStage): ContractStage[] {
  switch (stage) {
    case 'Q':
      if (kind === 'project') return ['Y']
      if (kind === 'annual') return ['B', 'Y']
      return ['B']
    case 'Y':
      return ['B']
    case 'B':
      return ['S']
    default:
      return []
  }
}

/** The stages a contract of this kind passes through, for its stepper. */
export function stagePath(kind: ContractKind, history: readonly { stage: ContractStage }[] = []): ContractStage[] {
  if (kind === 'per_visit') return ['Q', 'B', 'S']
  if (kind === 'project') return ['Q', 'Y', 'B', 'S']
  // An annual contract shows Y only when it went (or may still go) through it.
  const went = history.some((h) => h.stage === 'Y')
  const past = history.some((h) => h.stage === 'B' || h.stage === 'S')
  return went || !past ? ['Q', 'Y', 'B', 'S'] : ['Q', 'B', 'S']
}

/** Integer fen as money in 元: 3860000 → ¥38,600.00. */
export function formatYuan(fen: number | null | undefined, locale = 'zh-CN'): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return ''
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(fen / 100)
}

/**
 * 元 as typed by a person ("38600", "38,600.5", "￥1 200") to integer fen;
 * null when it is not an amount with at most two decimals.
 */
export function yuanToFen(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null
  const s = String(input)
    .replace(/[\s,，¥￥元]/g, '')
    .trim()
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null
  const [whole, frac = ''] = s.split('.')
  const fen = Number(whole) * 100 + Number((frac + '00').slice(0, 2))
  return Number.isSafeInteger(fen) ? fen : null
}

/** Fen as a plain 元 number for an input (3860050 → 38600.5). */
export function fenToYuanNumber(fen: number | null | undefined): number | undefined {
  if (fen === null || fen === undefined) return undefined
  return fen / 100
}

// The server stores phones normalized: mobiles as 11 digits, landlines as
// "area-number" with an optional "转extension".
const MOBILE = /^1\d{10}$/
const LANDLINE = /^(0\d{2,3})-(\d{7,8})(?:转(\d{1,6}))?$/

/**
 * A stored phone number grouped for reading aloud: 13802561234 →
 * 138 0256 1234; 0755-83216688转801 → 0755-8321 6688 转 801. Anything else
 * is shown as it is.
 */
export function formatPhone(phone: string): string {
  const p = phone.trim()
  if (MOBILE.test(p)) return `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`
  const m = LANDLINE.exec(p)
  if (m) {
    const [, area, num, ext] = m as unknown as [string, string, string, string | undefined]
    const split = num.length - 4
    const grouped = `${area}-${num.slice(0, split)} ${num.slice(split)}`
    return ext ? `${grouped} 转 ${ext}` : grouped
  }
  return p
}

/** A tel: link; an extension is dialled after a pause. */
export function telHref(phone: string): string {
  const m = /^([^转]*)(?:转(\d+))?$/.exec(phone.trim())
  const main = (m?.[1] ?? phone).replace(/[^\d+]/g, '')
  const ext = m?.[2]
  return `tel:${main}${ext ? `,${ext}` : ''}`
}

/** Whole days from `today` to `date` (both YYYY-MM-DD civil dates). */
export function daysBetween(today: string, date: string): number {
  const a = Date.UTC(+today.slice(0, 4), +today.slice(5, 7) - 1, +today.slice(8, 10))
  const b = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10))
  return Math.round((b - a) / 86_400_000)
}

const shanghaiDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** Today as YYYY-MM-DD in the business time zone (Asia/Shanghai). */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDay.format(now)
}

/** The day (YYYY-MM-DD, Asia/Shanghai) of a timestamp; '' when it is not one. */
export function civilDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : todayInShanghai(d)
}

/** A civil date shifted by whole days (YYYY-MM-DD in, YYYY-MM-DD out). */
export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days))
  return d.toISOString().slice(0, 10)
}

/** The same day `years` later, minus one: a period of whole years (2026-04-01 → 2027-03-31). */
export function periodEnd(start: string, years = 1): string {
  const d = new Date(Date.UTC(+start.slice(0, 4) + years, +start.slice(5, 7) - 1, +start.slice(8, 10) - 1))
  return d.toISOString().slice(0, 10)
}

/** The renewal reminder window of the list (R-QYBS-2): a contract ending within 60 days. */
export const ENDING_SOON_DAYS = 60

/** An online map search for a site's address (高德地图). */
export function mapUrl(address: string, city = ''): string {
  const q = new URLSearchParams({ keyword: address, city, src: 'elvcare', callnative: '0' })
  return `https://uri.amap.com/search?${q.toString()}`
}

/** A short form of a long id for people: its last six characters (the random part of a UUIDv7). */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-6)
}
