// Draws the app icon — a lightning bolt between signal waves on a blue
// tile — as favicon.svg and as the PNGs the web manifest and iOS need.
// The PNGs are rasterized here (4×4 supersampling, zlib for the PNG
// stream), so no image library or browser is needed. Output is committed;
// run again only when the design changes: npm run gen:icons
import { mkdirSync, writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

const out = fileURLToPath(new URL('../public/', import.meta.url))

// Geometry in a 0..1 square.
const TOP = [37, 99, 235] // #2563eb
const BOTTOM = [30, 64, 175] // #1e40af
/** @type {[number, number][]} */
const BOLT = [
  [0.555, 0.2],
  [0.345, 0.545],
  [0.485, 0.545],
  [0.445, 0.8],
  [0.66, 0.44],
  [0.515, 0.44],
]
const WAVE_WIDTH = 0.045
const WAVES = [
  { r: 0.2, from: -40, to: 40 },
  { r: 0.3, from: -40, to: 40 },
]

/** @param {number} x @param {number} y */
function inBolt(x, y) {
  let inside = false
  for (let i = 0, j = BOLT.length - 1; i < BOLT.length; j = i++) {
    const [xi, yi] = /** @type {[number, number]} */ (BOLT[i])
    const [xj, yj] = /** @type {[number, number]} */ (BOLT[j])
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Arcs to the right (angles around 0°) and mirrored to the left. */
function inWaves(/** @type {number} */ x, /** @type {number} */ y) {
  for (const side of [1, -1]) {
    const dx = (x - 0.5) * side
    const dy = y - 0.5
    for (const w of WAVES) {
      const ang = (Math.atan2(dy, dx) * 180) / Math.PI
      let d
      if (ang >= w.from && ang <= w.to) {
        d = Math.abs(Math.hypot(dx, dy) - w.r)
      } else {
        const a = ((ang < w.from ? w.from : w.to) * Math.PI) / 180
        d = Math.hypot(dx - w.r * Math.cos(a), dy - w.r * Math.sin(a))
      }
      if (d <= WAVE_WIDTH / 2) return true
    }
  }
  return false
}

/** @param {number} x @param {number} y @param {number} radius */
function inRoundRect(x, y, radius) {
  if (radius === 0) return x >= 0 && x <= 1 && y >= 0 && y <= 1
  const cx = Math.min(Math.max(x, radius), 1 - radius)
  const cy = Math.min(Math.max(y, radius), 1 - radius)
  return Math.hypot(x - cx, y - cy) <= radius
}

/**
 * @param {number} size pixels
 * @param {{ radius: number, scale: number }} opts tile corner radius; symbol scale (maskable icons keep it in the safe zone)
 */
function render(size, { radius, scale }) {
  const px = Buffer.alloc(size * size * 4)
  const N = 4
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      let bg = 0
      let fg = 0
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const x = (pxl + (sx + 0.5) / N) / size
          const y = (py + (sy + 0.5) / N) / size
          if (!inRoundRect(x, y, radius)) continue
          bg++
          const ux = 0.5 + (x - 0.5) / scale
          const uy = 0.5 + (y - 0.5) / scale
          if (inBolt(ux, uy) || inWaves(ux, uy)) fg++
        }
      }
      const t = py / (size - 1)
      const base = TOP.map((c, i) => c + (/** @type {number} */ (BOTTOM[i]) - c) * t)
      const f = bg ? fg / bg : 0
      const o = (py * size + pxl) * 4
      for (let i = 0; i < 3; i++) px[o + i] = Math.round(/** @type {number} */ (base[i]) * (1 - f) + 255 * f)
      px[o + 3] = Math.round((bg / (N * N)) * 255)
    }
  }
  return png(size, size, px)
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** @param {Buffer} buf */
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = /** @type {number} */ (CRC_TABLE[(c ^ b) & 0xff]) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

/** @param {number} w @param {number} h @param {Buffer} rgba */
function png(w, h, rgba) {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  const raw = Buffer.alloc((w * 4 + 1) * h)
  for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function svg() {
  const f = (/** @type {number} */ n) => +(n * 512).toFixed(1)
  const bolt = BOLT.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')
  const arcs = WAVES.flatMap((w) =>
    [1, -1].map((side) => {
      const p = (/** @type {number} */ deg) => {
        const a = (deg * Math.PI) / 180
        return `${f(0.5 + side * w.r * Math.cos(a))} ${f(0.5 + w.r * Math.sin(a))}`
      }
      return `<path d="M${p(w.from)}A${f(w.r)} ${f(w.r)} 0 0 ${side > 0 ? 1 : 0} ${p(w.to)}"/>`
    }),
  )
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2563eb"/><stop offset="1" stop-color="#1e40af"/></linearGradient></defs>
<rect width="512" height="512" rx="${f(0.22)}" fill="url(#g)"/>
<polygon points="${bolt}" fill="#fff"/>
<g fill="none" stroke="#fff" stroke-width="${f(WAVE_WIDTH)}" stroke-linecap="round">${arcs.join('')}</g>
</svg>
`
}

mkdirSync(out + 'icons', { recursive: true })
writeFileSync(out + 'favicon.svg', svg())
writeFileSync(out + 'icons/icon-192.png', render(192, { radius: 0.22, scale: 1 }))
writeFileSync(out + 'icons/icon-512.png', render(512, { radius: 0.22, scale: 1 }))
// Maskable: full-bleed tile, the symbol inside the 80 % safe circle.
writeFileSync(out + 'icons/maskable-192.png', render(192, { radius: 0, scale: 0.8 }))
writeFileSync(out + 'icons/maskable-512.png', render(512, { radius: 0, scale: 0.8 }))
// iOS rounds the corners itself and shows transparency as black.
writeFileSync(out + 'icons/apple-touch-icon.png', render(180, { radius: 0, scale: 0.9 }))
