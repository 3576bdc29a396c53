// Starts the real server binary for an end-to-end test: a free port, a fresh
// data directory with the demo data, and waits until it is ready. The binary
// embeds pwa/dist, so build the front end before the binary
// (`make build`, or `npm run build` then `go build -o bin/elvcare ./cmd/elvcare`).
// ELVCARE_BIN overrides the binary's path.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
export const BIN = resolve(process.env.ELVCARE_BIN ?? join(here, '../../bin/elvcare'))

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => res(port))
    })
  })
}

/**
 * @typedef {{ url: string, port: number, dataDir: string, pid: number | undefined, logs: () => string,
 *   stop: (opts?: { keepData?: boolean }) => Promise<void> }} RunningServer
 * @param {{ timeoutMs?: number, port?: number, dataDir?: string }} [opts] port and dataDir start the
 *   server again where a stopped one was (stop it with keepData), as after a restart
 * @returns {Promise<RunningServer>}
 */
export async function startServer(opts = {}) {
  if (!existsSync(BIN)) throw new Error(`server binary not found at ${BIN}: run make build, or set ELVCARE_BIN`)
  const port = opts.port ?? (await freePort())
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'elvcare-e2e-')))
  const url = `http://127.0.0.1:${port}`
  const child = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir, '--demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELVCARE_LOG_LEVEL: process.env.ELVCARE_LOG_LEVEL ?? 'warn' },
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  /** @type {number | null} */
  let exitCode = null
  const exited = new Promise((res) =>
    child.on('exit', (code) => {
      exitCode = code ?? -1
      res(undefined)
    }),
  )

  const stop = async ({ keepData = false } = {}) => {
    if (exitCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    if (!keepData) await rm(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + (opts.timeoutMs ?? 20000)
  for (;;) {
    if (exitCode !== null) {
      await stop({ keepData: !!opts.dataDir })
      throw new Error(`server exited with ${exitCode} before it was ready:\n${output}`)
    }
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop({ keepData: !!opts.dataDir })
      throw new Error(`server not ready after ${opts.timeoutMs ?? 20000} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  // The UI is embedded at Go build time: a binary built before `npm run
  // build` serves no app (or a stale one).
  const home = await fetch(`${url}/`, { headers: { Accept: 'text/html' } })
  const html = await home.text()
  if (home.status !== 200 || !html.includes('/assets/')) {
    await stop({ keepData: !!opts.dataDir })
    throw new Error(`${BIN} serves no built front end (GET / → ${home.status}): run npm run build, then rebuild the binary`)
  }
  return { url, port, dataDir, pid: child.pid, logs: () => output, stop }
}
