import { describe, expect, it, vi } from 'vitest'
import { dropStash, onPageHide, stashDrafts, stashKey, takeStash } from './draftStash'

function memoryStorage(): Storage {
  const m = new Map<string, string>()
  return {
    get length() {
      return m.size
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  }
}

describe('draft stash', () => {
  it('keeps drafts until taken, once', () => {
    const s = memoryStorage()
    stashDrafts(s, 'cl-1', { summary: { itemKey: 'summary', text: '电池已更换' } })
    expect(takeStash(s, 'cl-1')).toEqual({ summary: { itemKey: 'summary', text: '电池已更换' } })
    expect(takeStash(s, 'cl-1')).toEqual({})
  })

  it('writes nothing for no drafts, and forgets saved ones', () => {
    const s = memoryStorage()
    stashDrafts(s, 'cl-1', {})
    expect(s.length).toBe(0)
    stashDrafts(s, 'cl-2', { a: 1 })
    dropStash(s, 'cl-2')
    expect(s.getItem(stashKey('cl-2'))).toBeNull()
  })

  it('survives broken or foreign contents', () => {
    const s = memoryStorage()
    s.setItem(stashKey('x'), '{not json')
    expect(takeStash(s, 'x')).toEqual({})
    s.setItem(stashKey('y'), '[1,2]')
    expect(takeStash(s, 'y')).toEqual({})
  })

  it('survives a storage that refuses writes', () => {
    const s = memoryStorage()
    s.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError')
    }
    expect(() => stashDrafts(s, 'z', { a: 1 })).not.toThrow()
  })

  it('hears pagehide and the page turning hidden, until stopped', () => {
    const win = new EventTarget() as unknown as Window
    let state: DocumentVisibilityState = 'visible'
    const doc = Object.defineProperty(new EventTarget(), 'visibilityState', { get: () => state }) as unknown as Document
    const hide = vi.fn()
    const stop = onPageHide(hide, win, doc)
    doc.dispatchEvent(new Event('visibilitychange'))
    expect(hide).not.toHaveBeenCalled()
    state = 'hidden'
    doc.dispatchEvent(new Event('visibilitychange'))
    win.dispatchEvent(new Event('pagehide'))
    expect(hide).toHaveBeenCalledTimes(2)
    stop()
    win.dispatchEvent(new Event('pagehide'))
    expect(hide).toHaveBeenCalledTimes(2)
  })
})
