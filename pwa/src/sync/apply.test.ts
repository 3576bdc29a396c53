// @vitest-environment node
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChecklistTemplate } from '@/api/field'
import { FieldDb } from '@/db/schema'
import { applyMutation, RecordCache } from './apply'
import type { Mutation, MutationArgs, MutationName } from './mutations'
import { ticket } from './test/fakeServer'
import { uuidv7 } from './uuid'

let db: FieldDb
let name: string
let n = 0
const ctx = { userId: 'u1', clientId: 'pwa-test-client' }

const template: ChecklistTemplate = {
  id: 'builtin.alarm.pm',
  system: 'alarm',
  title: '红外防盗报警系统点检维护工作报告',
  version: 1,
  sections: [
    {
      key: 'panel',
      title: '防盗主机',
      items: [
        {
          key: 'panel.dust',
          text: '清理防盗主机的灰尘',
          kind: 'choice',
          options: [
            { key: 'cleaned', label: '已清理' },
            { key: 'not_cleaned', label: '未清理', abnormal: true },
          ],
        },
      ],
    },
  ],
}

beforeEach(async () => {
  name = `apply-test-${++n}-${Date.now()}`
  db = new FieldDb(name)
  await db.tickets.put(ticket({ id: 't1', state: 'assigned', equipmentIds: ['e1'] }))
  await db.templates.put(template)
  await db.equipment.put({
    id: 'e1',
    siteId: 's1',
    customerId: 'c1',
    system: 'alarm',
    itemType: 'alarm.panel',
    attributes: {},
    qrToken: 'qr-token-0000000001',
    model: '霍尼韦尔 Vista-120',
    serial: 'OLD-1',
    hasCredential: false,
    retired: false,
  })
})

afterEach(async () => {
  db.close()
  await new FieldDb(name).delete()
})

let minute = 0
async function apply<N extends MutationName>(name: N, args: MutationArgs[N]): Promise<void> {
  const m: Mutation = { name, args, deviceTime: new Date(Date.UTC(2026, 10, 25, 2, minute++)).toISOString() }
  const cache = new RecordCache(db)
  await db.transaction('rw', [db.tickets, db.checklists, db.equipment, db.templates], async () => {
    await applyMutation(cache, m, ctx)
    await cache.flush()
  })
}

const state = async () => (await db.tickets.get('t1'))?.state

describe('local effects of the field mutations', () => {
  it('walk the ticket through the visit as the server would', async () => {
    await apply('ticket.arrive', { id: 't1' }) // not from 已派单: nothing happens
    expect(await state()).toBe('assigned')

    await apply('ticket.accept', { id: 't1', baseRev: 2 })
    expect(await state()).toBe('accepted')

    const callId = uuidv7()
    const call = { id: 't1', callId, calledAt: '2026-11-25T01:00:00Z', method: 'phone' as const, appointmentAt: '2026-11-25T07:30:00Z', note: '陈经理等' }
    await apply('ticket.callAhead', call)
    await apply('ticket.callAhead', call) // replayed: one call
    let t = await db.tickets.get('t1')
    expect(t?.state).toBe('appointed')
    expect(t?.calls).toHaveLength(1)
    expect(t?.appointment).toEqual({ at: '2026-11-25T07:30:00Z', method: 'phone', note: '陈经理等' })

    await apply('ticket.depart', { id: 't1' })
    await apply('ticket.arrive', { id: 't1' })
    t = await db.tickets.get('t1')
    expect(t?.state).toBe('on_site')
    expect(t?.departedAt).toBeTruthy()
    expect(t?.arrivedAt).toBeTruthy()
    expect(t?.history.map((h) => h.state)).toEqual(['accepted', 'appointed', 'en_route', 'on_site'])

    const workId = uuidv7()
    await apply('ticket.addWork', { id: 't1', workId, text: ' 更换后备电池 ' })
    await apply('ticket.addWork', { id: 't1', workId, text: '更换后备电池' })
    await apply('ticket.addPart', { id: 't1', partId: uuidv7(), name: '后备蓄电池', model: '12V 7Ah', qty: 1 })
    await apply('ticket.swapDevice', {
      id: 't1',
      swapId: uuidv7(),
      equipmentId: 'e1',
      oldSerial: 'OLD-1',
      newSerial: 'NEW-2',
      newModel: '霍尼韦尔 Vista-128',
    })
    await apply('ticket.addPhoto', { id: 't1', photoId: uuidv7(), hash: 'a'.repeat(64) })
    t = await db.tickets.get('t1')
    expect(t?.work.map((w) => w.text)).toEqual(['更换后备电池'])
    expect(t?.parts.map((p) => [p.name, p.qty])).toEqual([['后备蓄电池', 1]])
    expect(t?.swaps.map((s) => [s.oldSerial, s.newSerial])).toEqual([['OLD-1', 'NEW-2']])
    expect(t?.photos).toHaveLength(1)
    expect(await db.equipment.get('e1')).toMatchObject({ serial: 'NEW-2', model: '霍尼韦尔 Vista-128' })

    const cl = uuidv7()
    await apply('checklist.start', { id: cl, ticketId: 't1', templateId: 'builtin.alarm.pm' })
    await apply('checklist.start', { id: cl, ticketId: 't1', templateId: 'builtin.alarm.pm' })
    await apply('checklist.setItem', { id: cl, answer: { itemKey: 'panel.dust', choice: 'cleaned' } })
    await apply('checklist.setSummary', { id: cl, summary: ' 一切正常 ' })
    expect((await db.tickets.get('t1'))?.checklists).toEqual([cl])
    expect(await db.checklists.get(cl)).toMatchObject({
      ticketId: 't1',
      number: '',
      template: { title: '红外防盗报警系统点检维护工作报告' },
      answers: { 'panel.dust': { itemKey: 'panel.dust', choice: 'cleaned' } },
      summary: '一切正常',
    })

    await apply('ticket.sign', { id: 't1', acceptance: { equipmentOk: true }, signatureHash: 'b'.repeat(64) })
    expect(await state()).toBe('on_site') // no result yet: cannot sign

    await apply('ticket.setResult', { id: 't1', result: { status: 'done' }, baseRev: 2 })
    expect(await state()).toBe('resulted')
    await apply('ticket.sign', {
      id: 't1',
      acceptance: { equipmentOk: true, accessories: 'none', satisfaction: 'very_satisfied' },
      signatureHash: 'b'.repeat(64),
      signerName: '陈经理',
    })
    t = await db.tickets.get('t1')
    expect(t?.state).toBe('signed')
    expect(t?.signature).toMatchObject({ imageHash: 'b'.repeat(64), signerName: '陈经理' })
    expect(t?.acceptance?.satisfaction).toBe('very_satisfied')

    // A signed form does not change.
    await apply('ticket.addWork', { id: 't1', workId: uuidv7(), text: '签字后补记' })
    await apply('checklist.setItem', { id: cl, answer: { itemKey: 'panel.dust', choice: 'not_cleaned' } })
    expect((await db.tickets.get('t1'))?.work).toHaveLength(1)
    expect((await db.checklists.get(cl))?.answers['panel.dust']?.choice).toBe('cleaned')
  })

  it('a paper signature attaches the photo and signs', async () => {
    await db.tickets.put(ticket({ id: 't1', state: 'resulted', result: { status: 'not_done', reason: 'needs_repair' } }))
    await apply('ticket.signPaper', { id: 't1', photoHash: 'c'.repeat(64), acceptance: { equipmentOk: false } })
    const t = await db.tickets.get('t1')
    expect(t?.state).toBe('signed')
    expect(t?.signature?.paper).toBe(true)
    expect(t?.photos.filter((p) => p.paper).map((p) => p.hash)).toEqual(['c'.repeat(64)])
  })

  it('a mutation for a ticket the device does not hold changes nothing', async () => {
    await apply('ticket.addWork', { id: 'nope', workId: uuidv7(), text: 'x' })
    expect(await db.tickets.count()).toBe(1)
  })
})
