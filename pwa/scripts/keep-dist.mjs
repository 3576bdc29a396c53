// Vite empties dist/ on every build; the Go package embeds dist/ and needs
// the placeholder to compile on a fresh clone, so put it back.
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

writeFileSync(fileURLToPath(new URL('../dist/.keep', import.meta.url)), '')
