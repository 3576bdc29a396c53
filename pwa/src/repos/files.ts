// Photos and signatures on the device: prepared for upload (downscaled,
// re-encoded, hashed) and shown from IndexedDB, so they work offline.
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue'
import { db } from '@/db'
import type { NewFile } from '@/sync/outbox'
import { sha256Hex } from '@/sync/files'

/** The longest side of a stored photo, in pixels. */
export const PHOTO_MAX_SIDE = 1600
const JPEG_QUALITY = 0.82

/** Stores a blob by content: its hash, type and size. */
export async function fileOf(blob: Blob): Promise<NewFile> {
  return { hash: await sha256Hex(blob), blob, type: blob.type, size: blob.size }
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), type, quality),
  )
}

/**
 * A photo as it is kept and sent: long side at most 1600 px, re-encoded as
 * JPEG through a canvas — which also drops EXIF, GPS position included.
 * The orientation the camera recorded is applied first.
 */
export async function preparePhoto(file: Blob, maxSide = PHOTO_MAX_SIDE): Promise<NewFile> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
    const canvas = document.createElement('canvas')
    canvas.width = Math.max(1, Math.round(bitmap.width * scale))
    canvas.height = Math.max(1, Math.round(bitmap.height * scale))
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2d canvas')
    ctx.fillStyle = '#fff' // transparent PNGs become white, not black
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.imageSmoothingQuality = 'high'
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    return fileOf(await toBlob(canvas, 'image/jpeg', JPEG_QUALITY))
  } finally {
    bitmap.close()
  }
}

/** A drawn signature as a PNG file. */
export async function canvasPng(canvas: HTMLCanvasElement): Promise<NewFile> {
  return fileOf(await toBlob(canvas, 'image/png'))
}

/**
 * An object URL for a stored file, or '' while it is not on the device
 * (a photo taken on another phone). Revoked when it changes or the view goes.
 */
export function useFileUrl(hash: () => string | undefined): Ref<string> {
  const url = shallowRef('')
  let made = ''
  const revoke = () => {
    if (made) URL.revokeObjectURL(made)
    made = ''
  }
  watch(
    hash,
    async (h) => {
      const f = h ? await db().files.get(h) : undefined
      revoke()
      if (f) made = URL.createObjectURL(f.blob)
      // Not on this phone (taken by a helper, or before a reinstall): the
      // server has it, while online.
      url.value = made || (h ? `/api/sync/files/${h}` : '')
    },
    { immediate: true },
  )
  onScopeDispose(revoke)
  return url
}
