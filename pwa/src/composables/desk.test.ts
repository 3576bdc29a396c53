import { describe, expect, it, vi } from 'vitest'
import { TICKET_STATES, type TechnicianLoad, type TicketSummary } from '@/api/desk'
import zhCN from '@/i18n/locales/zh-CN.json'
import en from '@/i18n/locales/en.json'
import {
  BOARD_COLUMNS,
  DEFAULT_SCORE_TABLE,
  callbackUrgency,
  civilDate,
  columnOf,
  conflictParts,
  customerTypeFor,
  eventVersion,
  formatAverage,
  formatHours,
  formatRate,
  formatScore,
  groupAssigned,
  groupInProgress,
  loadLevel,
  mutationKey,
  relativeDay,
  rankTechnicians,
  scoreOf,
  shiftMonth,
  shortDateTime,
  stateTagType,
  ticketActions,
  TIMELINE_MUTATIONS,
} from './deskFormat'
import { serialLoader } from './deskBoard'
import { callbackBody } from './deskTicket'
import { blankIntake, openArgs, phoneDigits } from './deskIntake'
import { levelSeries, monthTotals, reasonCounts } from './deskStats'
import type { TechMonth } from '@/api/desk'

function summary(p: Partial<TicketSummary>): TicketSummary {
  return {
    id: p.number ?? 'x',
    number: 'LL-2026-00001',
    jobId: 'j',
    state: 'assigned',
    customerId: 'c',
    customerName: '深圳市华强物业管理有限公司',
    siteName: '华强大厦',
    contactName: '陈经理',
    contactPhone: '13802561234',
    system: 'cctv',
    requested: '录像机没有画面',
    priority: 'normal',
    customerType: 'annual',
    helpers: [],
    created: '2026-11-25T01:00:00Z',
    updated: '2026-11-25T01:00:00Z',
    signed: false,
    paper: false,
    conflicts: 0,
    rev: 1,
    callbackAttempts: 0,
    ...p,
  }
}

const techs: TechnicianLoad[] = [
  { id: 'liu', name: '刘工', specialist: true, skills: ['network', 'telephone'], today: 1, open: 2 },
  { id: 'zhang', name: '张工', specialist: false, skills: ['pa', 'network', 'cctv'], today: 0, open: 0 },
  { id: 'wang', name: '王工', specialist: true, skills: ['cctv', 'alarm', 'onecard'], today: 3, open: 4 },
]

describe('state labels', () => {
  it('name every state in Chinese as R-TKT-STATES does', () => {
    const want: Record<string, string> = {
      new: '待派单',
      escalated: '待工程部派工',
      assigned: '已派单',
      accepted: '已接单',
      appointed: '已预约',
      en_route: '已出发',
      on_site: '已到场',
      resulted: '已处理',
      signed: '客户已签字',
      returned: '已交回',
      called_back: '已回访',
      reopened: '需跟进',
      archived: '已归档',
      cancelled: '已取消',
    }
    expect(zhCN.desk.state).toEqual(want)
    for (const s of TICKET_STATES) expect(en.desk.state[s], s).toBeTruthy()
  })

  it('name the customer types, levels and reasons as the paper form does', () => {
    expect(zhCN.desk.customerType).toEqual({
      warranty: '保内客户',
      annual: '按年合同客户',
      per_visit: '按次合同客户',
      liaison: '《联络函》服务客户',
    })
    expect(zhCN.desk.satisfaction).toMatchObject({ very_satisfied: '很满意', satisfied: '满意', neutral: '一般', dissatisfied: '不满意', blank: '不表态' })
    expect(zhCN.desk.reason).toEqual({ attitude: '服务态度', skill: '技术水平', response: '响应速度' })
  })

  it('colour what waits for the desk', () => {
    expect(stateTagType('new')).toBe('warning')
    expect(stateTagType('escalated')).toBe('danger')
    expect(stateTagType('reopened')).toBe('danger')
    expect(stateTagType('returned')).toBe('warning')
    expect(stateTagType('on_site')).toBe('primary')
    expect(stateTagType('cancelled')).toBe('info')
  })

  it('have a label for every timeline mutation', () => {
    for (const m of TIMELINE_MUTATIONS) expect(zhCN.desk.timeline.mutation[mutationKey(m) as keyof typeof zhCN.desk.timeline.mutation], m).toBeTruthy()
    expect(mutationKey('user.create')).toBeNull()
  })
})

describe('score formatting', () => {
  it('signs scores as the review sheet prints them', () => {
    expect(formatScore(5)).toBe('+5')
    expect(formatScore(-5)).toBe('−5')
    expect(formatScore(0)).toBe('0')
    expect(formatScore(undefined)).toBe('—')
  })

  it('prints averages, rates and hours', () => {
    expect(formatAverage(4.333)).toBe('4.33')
    expect(formatAverage(-1.5)).toBe('−1.50')
    expect(formatRate(0.75)).toBe('75%')
    expect(formatRate(1)).toBe('100%')
    expect(formatHours(0)).toBe('—')
    expect(formatHours(5.25)).toBe('5.3')
  })

  it('scores each level by the table (R-SAT-1), blank as 不表态', () => {
    const tbl = DEFAULT_SCORE_TABLE
    expect([scoreOf('very_satisfied', tbl), scoreOf('satisfied', tbl), scoreOf('neutral', tbl), scoreOf('', tbl), scoreOf('dissatisfied', tbl)]).toEqual([5, 3, 2, 1, -5])
    expect(scoreOf('satisfied', { ...tbl, satisfied: 4 })).toBe(4)
  })

  it('totals a month across technicians', () => {
    const rows = [
      { userId: 'w', name: '王工', tickets: 3, total: 13, average: 4.33, levels: { very_satisfied: 2, satisfied: 1 }, reasons: {}, fixedFirstVisit: 3, firstVisitFixRate: 1, avgArrivalHours: 2 },
      { userId: 'l', name: '刘工', tickets: 1, total: -5, average: -5, levels: { dissatisfied: 1 }, reasons: { response: 1, skill: 2 }, fixedFirstVisit: 0, firstVisitFixRate: 0, avgArrivalHours: 0 },
    ] as TechMonth[]
    expect(monthTotals(rows)).toEqual({ technicians: 2, tickets: 4, total: 8, average: 2, fixRate: 0.75, dissatisfied: 1 })
    expect(monthTotals([])).toMatchObject({ tickets: 0, average: 0, fixRate: 0 })
    expect(reasonCounts(rows[1]!)).toEqual([
      ['skill', 2],
      ['response', 1],
    ])
    const series = levelSeries(rows)
    expect(series.map((s) => s.level)).toEqual(['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', ''])
    expect(series[0]!.data).toEqual([2, 0])
    expect(series[3]!.data).toEqual([0, 1])
  })
})

describe('board grouping', () => {
  it('puts each state in its column', () => {
    expect(BOARD_COLUMNS).toEqual(['new', 'escalated', 'assigned', 'inProgress', 'returned'])
    expect(columnOf('new')).toBe('new')
    expect(columnOf('reopened')).toBe('new')
    expect(columnOf('appointed')).toBe('assigned')
    expect(columnOf('signed')).toBe('inProgress')
    expect(columnOf('returned')).toBe('returned')
    expect(columnOf('archived')).toBeNull()
  })

  it('groups assigned tickets per technician, then per planned date', () => {
    const items = [
      summary({ number: 'LL-3', lead: 'wang', leadName: '王工', plannedDate: '2026-11-26' }),
      summary({ number: 'LL-2', lead: 'wang', leadName: '王工', plannedDate: '2026-11-25' }),
      summary({ number: 'LL-1', lead: 'wang', leadName: '王工', plannedDate: '2026-11-25' }),
      summary({ number: 'LL-4', lead: 'liu', leadName: '刘工' }),
      summary({ number: 'LL-5', lead: 'gone', leadName: '赵工', plannedDate: '2026-11-25' }),
    ]
    const g = groupAssigned(items, techs)
    expect(g.map((x) => x.name)).toEqual(['刘工', '王工', '赵工'])
    const wang = g[1]!
    expect(wang.count).toBe(3)
    expect(wang.dates.map((d) => d.date)).toEqual(['2026-11-25', '2026-11-26'])
    expect(wang.dates[0]!.items.map((x) => x.number)).toEqual(['LL-1', 'LL-2'])
    expect(g[0]!.dates[0]!.date).toBe('')
    expect(g[2]!.tech).toBeNull()
  })

  it('groups work in progress by field state, in the order work goes', () => {
    const g = groupInProgress([summary({ state: 'signed' }), summary({ state: 'en_route' }), summary({ state: 'signed' })])
    expect(g.map((x) => [x.state, x.items.length])).toEqual([
      ['en_route', 1],
      ['signed', 2],
    ])
  })

  it('ranks specialists skilled in the system and lightly loaded first', () => {
    const desk = rankTechnicians(techs, 'cctv', 'desk')
    expect(desk.map((c) => c.id)).toEqual(['wang', 'liu', 'zhang'])
    expect(desk.find((c) => c.id === 'zhang')!.eligible).toBe(false)
    const pbx = rankTechnicians(techs, 'telephone', 'desk')
    expect(pbx[0]!.id).toBe('liu')
    // The manager may assign anyone: the skilled, idle non-specialist wins.
    const mgr = rankTechnicians(techs, 'cctv', 'manager')
    expect(mgr.map((c) => c.id)).toEqual(['zhang', 'wang', 'liu'])
    expect(loadLevel(0)).toBe('light')
    expect(loadLevel(3)).toBe('busy')
    expect(loadLevel(4)).toBe('full')
  })

  it('allows the actions the state machine allows', () => {
    expect(ticketActions({ state: 'new' })).toMatchObject({ assign: true, escalate: true, cancel: true, callback: false })
    expect(ticketActions({ state: 'escalated' })).toMatchObject({ assign: false, escalate: false, cancel: true })
    expect(ticketActions({ state: 'escalated' }, 'manager')).toMatchObject({ assign: true })
    expect(ticketActions({ state: 'appointed' })).toMatchObject({ reassign: true, cancel: false })
    expect(ticketActions({ state: 'returned' })).toMatchObject({ callback: true, plan: false })
    expect(ticketActions({ state: 'signed', signature: { paper: true } })).toMatchObject({ filed: true })
    expect(ticketActions({ state: 'signed', signature: { paper: true, filed: true } })).toMatchObject({ filed: false })
    expect(ticketActions({ state: 'reopened' })).toMatchObject({ followUp: true, cancel: false })
    expect(ticketActions({ state: 'called_back' })).toMatchObject({ archive: true })
  })

  it('reads the version of a server-sent event', () => {
    expect(eventVersion('{"version":42}')).toBe(42)
    expect(eventVersion('keep-alive')).toBeNull()
    expect(eventVersion('{"v":1}')).toBeNull()
    expect(eventVersion(undefined)).toBeNull()
  })
})

describe('dates and urgency', () => {
  it('reads instants as Shenzhen dates', () => {
    expect(civilDate('2026-11-24T16:30:00Z')).toBe('2026-11-25')
    expect(shortDateTime('2026-11-25T06:00:00Z')).toBe('11-25 14:00')
  })

  it('marks callbacks due today and overdue', () => {
    expect(callbackUrgency('2026-11-25T08:00:00Z', '2026-11-25')).toEqual({ kind: 'today' })
    expect(callbackUrgency('2026-11-23T08:00:00Z', '2026-11-25')).toEqual({ kind: 'overdue', days: 2 })
    expect(callbackUrgency(undefined, '2026-11-25')).toEqual({ kind: 'unknown' })
  })

  it('names days near today and moves months', () => {
    expect(relativeDay('2026-11-25', '2026-11-25')).toBe('today')
    expect(relativeDay('2026-11-26', '2026-11-25')).toBe('tomorrow')
    expect(relativeDay('2026-12-01', '2026-11-25')).toBeNull()
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(shiftMonth('2026-11', 2)).toBe('2027-01')
  })
})

describe('intake and callback', () => {
  it('derives the customer type as the server does', () => {
    expect(customerTypeFor('annual', false)).toBe('annual')
    expect(customerTypeFor('warranty', false)).toBe('warranty')
    expect(customerTypeFor('none', false)).toBe('per_visit')
    expect(customerTypeFor('annual', true)).toBe('liaison')
  })

  it('sends what the desk filled in, trimmed', () => {
    const f = { ...blankIntake(), customerId: 'c', siteId: 's', contactId: 'k', contactName: ' 陈经理 ', contactPhone: '0755-83216688', system: 'cctv' as const, requested: ' 录像机没有画面 ', plannedDate: '2026-11-25' }
    expect(openArgs(f)).toEqual({
      customerId: 'c',
      siteId: 's',
      contactId: 'k',
      contactName: '陈经理',
      contactPhone: '0755-83216688',
      system: 'cctv',
      requested: '录像机没有画面',
      priority: 'normal',
      plannedDate: '2026-11-25',
    })
    expect(openArgs({ ...f, liaison: true, jobId: 'j1', equipmentIds: ['e1'] })).toMatchObject({ liaison: true, jobId: 'j1', equipmentIds: ['e1'] })
    expect(phoneDigits('(0755) 8321-6688')).toBe('075583216688')
  })

  it('sends 不表态 as no satisfaction, reasons only when dissatisfied', () => {
    expect(callbackBody({ reached: true, solved: true, satisfaction: '', reasons: ['skill'], comments: '  ' })).toEqual({ reached: true, solved: true })
    expect(callbackBody({ reached: true, solved: false, satisfaction: 'dissatisfied', reasons: ['skill'], comments: ' 修了两次 ' })).toEqual({
      reached: true,
      solved: false,
      satisfaction: 'dissatisfied',
      reasons: ['skill'],
      comments: '修了两次',
    })
    expect(callbackBody({ reached: false, solved: true, satisfaction: 'satisfied' })).toEqual({ reached: false, solved: false })
  })

  it('shows a conflict value by its parts', () => {
    expect(conflictParts('2026-11-26')).toEqual([['', '2026-11-26']])
    expect(conflictParts({ name: '陈经理', phone: '' })).toEqual([['name', '陈经理']])
    expect(conflictParts(null)).toEqual([])
  })
})

describe('serialLoader', () => {
  it('never runs two loads at once and runs once more when asked meanwhile', async () => {
    let running = 0
    let max = 0
    const load = vi.fn(async () => {
      running++
      max = Math.max(max, running)
      await new Promise((r) => setTimeout(r, 5))
      running--
    })
    const run = serialLoader(load)
    await Promise.all([run(), run(), run()])
    expect(max).toBe(1)
    expect(load).toHaveBeenCalledTimes(2)
  })
})
