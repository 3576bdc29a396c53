// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids
// made on the device sort by creation time and never collide across devices.
// Ids made in the same millisecond stay in order: the random tail of the
// previous one is incremented instead of drawn anew.

let lastMs = -1
let lastTail: Uint8Array | null = null

function randomTail(): Uint8Array {
  const b = new Uint8Array(10)
  crypto.getRandomValues(b)
  return b
}

function increment(tail: Uint8Array): Uint8Array {
  const next = tail.slice()
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = (next[i]! + 1) & 0xff
    if (next[i] !== 0) break
  }
  return next
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')

/** A new UUIDv7 string, e.g. 0193a1f2-7c3e-7d4a-9b2c-1f0e3d5a6b7c. */
export function uuidv7(now: number = Date.now()): string {
  // A clock that stepped back keeps the last millisecond: ids stay ordered.
  const ms = Math.max(now, lastMs)
  const tail = ms === lastMs && lastTail ? increment(lastTail) : randomTail()
  lastMs = ms
  lastTail = tail
  const b = new Uint8Array(16)
  let t = ms
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256
    t = Math.floor(t / 256)
  }
  b.set(tail, 6)
  b[6] = 0x70 | (b[6]! & 0x0f) // version 7
  b[8] = 0x80 | (b[8]! & 0x3f) // variant 10
  const h = hex(b)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function isUuidv7(s: string): boolean {
  return UUIDV7.test(s)
}
