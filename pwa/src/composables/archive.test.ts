import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick } from 'vue'
import { configureApi, resetApiConfig } from '@/api/client'
import type { Contract } from '@/api/archive'
import {
  addDays,
  civilDate,
  coverageTagType,
  daysBetween,
  fenToYuanNumber,
  formatPhone,
  formatYuan,
  mapUrl,
  nextStages,
  periodEnd,
  stagePath,
  stageTagType,
  telHref,
  todayInShanghai,
  yuanToFen,
} from './archiveFormat'
import { auditArgs, missingDocuments, withDocument, withoutDocument } from './archiveContract'
import { toQuery, useCustomerList } from './archiveCustomers'
import { isXlsxName, useArchiveImport } from './archiveImport'
import { loadReference, resetReferenceCache } from './archiveReference'

afterEach(() => {
  resetApiConfig()
  resetReferenceCache()
  vi.useRealTimers()
})

describe('coverage and stage tags', () => {
  it('colours coverage: 保内 green, 按年合同 blue, 按次合同 grey, none red', () => {
    expect(coverageTagType('warranty')).toBe('success')
    expect(coverageTagType('annual')).toBe('primary')
    expect(coverageTagType('per_visit')).toBe('info')
    expect(coverageTagType('none')).toBe('danger')
  })

  it('makes the stages that need the desk stand out', () => {
    expect(stageTagType('Q')).toBe('primary')
    expect(stageTagType('Y')).toBe('warning')
    expect(stageTagType('B')).toBe('success')
    expect(stageTagType('S')).toBe('danger')
  })
})

describe('stage moves (docs/api-archive.md)', () => {
  it.each([
    ['project', 'Q', ['Y']],
    ['project', 'Y', ['B']],
    ['project', 'B', ['S']],
    ['project', 'S', []],
    ['annual', 'Q', ['B', 'Y']],
    ['annual', 'Y', ['B']],
    ['per_visit', 'Q', ['B']],
    ['per_visit', 'B', ['S']],
    ['per_visit', 'S', []],
  ] as const)('%s at %s may go to %j', (kind, stage, want) => {
    expect(nextStages(kind, stage)).toEqual(want)
  })

  it('shows the path a contract takes', () => {
    expect(stagePath('project')).toEqual(['Q', 'Y', 'B', 'S'])
    expect(stagePath('per_visit')).toEqual(['Q', 'B', 'S'])
    expect(stagePath('annual', [{ stage: 'Q' }])).toEqual(['Q', 'Y', 'B', 'S'])
    expect(stagePath('annual', [{ stage: 'Q' }, { stage: 'B' }])).toEqual(['Q', 'B', 'S'])
    expect(stagePath('annual', [{ stage: 'Q' }, { stage: 'Y' }, { stage: 'B' }])).toEqual(['Q', 'Y', 'B', 'S'])
  })
})

describe('money', () => {
  it('shows fen as 元', () => {
    expect(formatYuan(3860000)).toBe('¥38,600.00')
    expect(formatYuan(50)).toBe('¥0.50')
    expect(formatYuan(0)).toBe('¥0.00')
    expect(formatYuan(undefined)).toBe('')
  })

  it('reads 元 as typed into fen', () => {
    expect(yuanToFen('38600')).toBe(3860000)
    expect(yuanToFen('38,600.5')).toBe(3860050)
    expect(yuanToFen(' ￥1 200.05 元')).toBe(120005)
    expect(yuanToFen(12.3)).toBe(1230)
    expect(yuanToFen('0.1')).toBe(10)
  })

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '-5', '1.234', '1e5', null, undefined]) expect(yuanToFen(bad), String(bad)).toBeNull()
  })

  it('round-trips through the 元 box', () => {
    expect(yuanToFen(String(fenToYuanNumber(3860050)))).toBe(3860050)
    expect(fenToYuanNumber(undefined)).toBeUndefined()
  })
})

describe('phones', () => {
  it('groups mobiles 3-4-4', () => {
    expect(formatPhone('13802561234')).toBe('138 0256 1234')
  })

  it('groups landlines after the area code, with the extension', () => {
    expect(formatPhone('0755-83216688')).toBe('0755-8321 6688')
    expect(formatPhone('0755-83216688转801')).toBe('0755-8321 6688 转 801')
    expect(formatPhone('010-1234567')).toBe('010-123 4567')
  })

  it('leaves anything else alone', () => {
    expect(formatPhone('400-800-8888')).toBe('400-800-8888')
    expect(formatPhone(' 12345 ')).toBe('12345')
  })

  it('dials the digits, the extension after a pause', () => {
    expect(telHref('13802561234')).toBe('tel:13802561234')
    expect(telHref('0755-83216688')).toBe('tel:075583216688')
    expect(telHref('0755-83216688转801')).toBe('tel:075583216688,801')
  })
})

describe('dates', () => {
  it('counts whole days between civil dates', () => {
    expect(daysBetween('2026-11-25', '2026-12-01')).toBe(6)
    expect(daysBetween('2026-11-25', '2026-11-25')).toBe(0)
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
    expect(daysBetween('2026-11-25', '2026-11-20')).toBe(-5)
  })

  it('knows the day in Shanghai, not in the browser’s zone', () => {
    expect(todayInShanghai(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25')
    expect(civilDate('2026-11-24T15:59:00Z')).toBe('2026-11-24')
    expect(civilDate('nope')).toBe('')
  })

  it('makes periods of whole years', () => {
    expect(periodEnd('2026-04-01')).toBe('2027-03-31')
    expect(periodEnd('2026-01-01')).toBe('2026-12-31')
    expect(addDays('2027-03-31', 1)).toBe('2027-04-01')
  })
})

describe('map link', () => {
  it('searches the address', () => {
    const u = new URL(mapUrl('福田区华强北路1019号', '深圳'))
    expect(u.host).toBe('uri.amap.com')
    expect(u.searchParams.get('keyword')).toBe('福田区华强北路1019号')
    expect(u.searchParams.get('city')).toBe('深圳')
  })
})

describe('the Y audit', () => {
  const contract = {
    id: 'k1',
    audit: { documents: { drawings: ['h1'] }, waived: ['manual'], verdict: 'fail', note: '缺测试报告' },
  } as unknown as Contract

  it('sends the audit again with one change', () => {
    expect(auditArgs(contract, { verdict: 'pass' })).toEqual({
      documents: { drawings: ['h1'] },
      waived: ['manual'],
      verdict: 'pass',
      note: '缺测试报告',
    })
    expect(auditArgs({ id: 'k2' } as unknown as Contract)).toEqual({ documents: {}, waived: [], verdict: '', note: '' })
  })

  it('adds and removes files by kind', () => {
    expect(withDocument({ drawings: ['h1'] }, 'drawings', 'h2')).toEqual({ drawings: ['h1', 'h2'] })
    expect(withDocument({ drawings: ['h1'] }, 'drawings', 'h1')).toEqual({ drawings: ['h1'] })
    expect(withDocument(undefined, 'manual', 'h3')).toEqual({ manual: ['h3'] })
    expect(withoutDocument({ drawings: ['h1', 'h2'] }, 'drawings', 'h1')).toEqual({ drawings: ['h2'] })
    expect(withoutDocument({ drawings: ['h1'] }, 'drawings', 'h1')).toEqual({})
  })

  it('lists what is neither filed nor waived', () => {
    expect(missingDocuments(contract.audit)).toEqual(['equipment_list', 'test_report', 'config_backup'])
    expect(missingDocuments(undefined)).toHaveLength(5)
  })
})

function fakeServer(answer: (url: string) => unknown, delayMs = 0) {
  const urls: string[] = []
  configureApi({
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = decodeURIComponent(String(input))
      urls.push(url)
      return new Promise<Response>((resolve, reject) => {
        const done = () => resolve(new Response(JSON.stringify(answer(url)), { status: 200, headers: { 'Content-Type': 'application/json' } }))
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
        if (delayMs) setTimeout(done, delayMs)
        else done()
      })
    }) as typeof fetch,
  })
  return urls
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
  await nextTick()
}

describe('useCustomerList', () => {
  it('asks once the typing pauses, starting at page 1', async () => {
    vi.useFakeTimers()
    const urls = fakeServer(() => ({ items: [{ id: 'c1', name: '深圳市华强物业管理有限公司' }], total: 41 }))
    const scope = effectScope()
    const list = scope.run(() => useCustomerList({ page: 3 }, 200))!
    list.filters.q = '华'
    await nextTick()
    list.filters.q = '华强'
    await nextTick()
    vi.advanceTimersByTime(199)
    await flush()
    expect(urls).toEqual([])
    vi.advanceTimersByTime(1)
    await flush()
    expect(urls).toEqual(['/api/customers?q=华强&page=1&pageSize=20'])
    expect(list.total.value).toBe(41)
    expect(list.items.value[0]!.name).toBe('深圳市华强物业管理有限公司')
    expect(list.filtering.value).toBe(true)
    scope.stop()
  })

  it('answers a filter at once', async () => {
    const urls = fakeServer(() => ({ items: [], total: 0 }))
    const scope = effectScope()
    const list = scope.run(() => useCustomerList())!
    list.filters.coverage = 'none'
    list.filters.endingWithin = 0
    await flush()
    expect(urls).toEqual(['/api/customers?coverage=none&endingWithin=0&page=1&pageSize=20'])
    list.resetFilters()
    await flush()
    expect(urls.at(-1)).toBe('/api/customers?page=1&pageSize=20')
    expect(list.filtering.value).toBe(false)
    scope.stop()
  })

  it('shows only the latest answer', async () => {
    vi.useFakeTimers()
    const urls = fakeServer((url) => ({ items: [{ id: url, name: url }], total: 1 }), 100)
    const scope = effectScope()
    const list = scope.run(() => useCustomerList({}, 0))!
    void list.reload()
    list.filters.stage = 'S'
    await flush()
    vi.advanceTimersByTime(100)
    await flush()
    expect(urls).toHaveLength(2)
    expect(list.items.value.map((i) => i.id)).toEqual(['/api/customers?stage=S&page=1&pageSize=20'])
    expect(list.loading.value).toBe(false)
    scope.stop()
  })

  it('leaves empty filters out of the query', () => {
    expect(toQuery({ q: '  0755 8321 ', district: '', coverage: '', stage: '', endingWithin: null, page: 1, pageSize: 50 })).toEqual({
      q: '0755 8321',
      district: '',
      coverage: '',
      stage: '',
      endingWithin: undefined,
      page: 1,
      pageSize: 50,
    })
  })
})

describe('useArchiveImport', () => {
  const xlsx = () => new File(['PK'], '客户档案.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })

  it('checks first, then imports a clean workbook', async () => {
    const urls: string[] = []
    configureApi({
      fetch: ((input: RequestInfo | URL) => {
        urls.push(String(input))
        const dry = String(input).includes('dryRun')
        return Promise.resolve(
          new Response(JSON.stringify({ imported: { customers: 1, sites: 1, contacts: 1, contracts: 1, equipment: 3 }, dryRun: dry || undefined }), {
            status: 200,
          }),
        )
      }) as typeof fetch,
    })
    const imp = useArchiveImport()
    await imp.check(xlsx())
    expect(imp.step.value).toBe('ready')
    expect(imp.counts.value?.equipment).toBe(3)
    await imp.commit()
    expect(imp.step.value).toBe('done')
    expect(urls).toEqual(['/api/archive/import?dryRun=1', '/api/archive/import'])
  })

  it('lists every problem and imports nothing', async () => {
    const problems = [{ sheet: '联系人', row: 3, column: '电话', value: '12345', code: 'invalid_phone', message: '电话号码格式不正确' }]
    configureApi({
      fetch: (() =>
        Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'import.invalid', message: '工作簿中共有 1 处错误', fields: {} }, problems }), {
            status: 422,
          }),
        )) as typeof fetch,
    })
    const imp = useArchiveImport()
    await imp.check(xlsx())
    expect(imp.step.value).toBe('problems')
    expect(imp.problems.value).toEqual(problems)
    expect(imp.message.value).toBe('工作簿中共有 1 处错误')
    await imp.commit()
    expect(imp.step.value).toBe('problems')
  })

  it('says plainly when the file is no workbook', async () => {
    configureApi({
      fetch: (() =>
        Promise.resolve(new Response(JSON.stringify({ error: { code: 'import.not_xlsx', message: '文件不是 .xlsx 工作簿' } }), { status: 422 }))) as typeof fetch,
    })
    const imp = useArchiveImport()
    await imp.check(xlsx())
    expect(imp.step.value).toBe('failed')
    expect(imp.message.value).toBe('文件不是 .xlsx 工作簿')
  })

  it('knows an .xlsx name', () => {
    expect(isXlsxName('客户.XLSX')).toBe(true)
    expect(isXlsxName('客户.xls')).toBe(false)
    expect(isXlsxName('客户.csv')).toBe(false)
  })
})

describe('loadReference', () => {
  it('asks once an hour and forgets a failure', async () => {
    let n = 0
    configureApi({
      fetch: (() => {
        n++
        return n === 1
          ? Promise.resolve(new Response('{"error":{"code":"x","message":"down"}}', { status: 503 }))
          : Promise.resolve(new Response(JSON.stringify({ city: '深圳' }), { status: 200 }))
      }) as typeof fetch,
    })
    await expect(loadReference(0)).rejects.toThrow('down')
    expect((await loadReference(1)).city).toBe('深圳')
    await loadReference(1000)
    expect(n).toBe(2)
    await loadReference(1 + 60 * 60 * 1000 + 1)
    expect(n).toBe(3)
  })
})
