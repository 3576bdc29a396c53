// What sync could not apply as the technician sent it: conflicts (the
// server kept another value; the desk decides) and rejections (never
// applied). Shown in the sync details, never retried.
import type { Conflict } from '@/api/field'
import { db, type SyncIssue } from '@/db'
import { useLive } from './live'

export interface IssueView {
  issue: SyncIssue
  /** The ticket's 联络单编号, when the device has it. */
  ticketNumber?: string
  /** The server's conflict record (kept and lost values), once pulled. */
  conflict?: Conflict
}

export function useSyncIssues() {
  return useLive<IssueView[]>(async () => {
    const issues = await db().issues.orderBy('id').reverse().toArray()
    return Promise.all(
      issues.map(async (issue) => ({
        issue,
        ticketNumber: issue.ticketId ? (await db().tickets.get(issue.ticketId))?.number : undefined,
        conflict: issue.conflictId ? await db().conflicts.get(issue.conflictId) : undefined,
      })),
    )
  }, [])
}

/** The technician has seen them: clear the list. */
export async function dismissIssues(): Promise<void> {
  await db().issues.clear()
}

/** How many changes wait in the outbox (for the sign-out warning). */
export async function pendingCount(): Promise<number> {
  return db().outbox.count()
}
