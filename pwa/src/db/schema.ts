// The device's database (IndexedDB through Dexie): the records pulled from
// the server, one table per collection keyed by id; the outbox of queued
// mutations; the photos and signatures by content hash; the sync metadata.
// One database per signed-in user, so a shared phone never mixes two
// people's work. Versions only ever get added (never edit a released one).
import Dexie, { type Table } from 'dexie'
import type {
  Checklist,
  ChecklistTemplate,
  Conflict,
  Contact,
  Customer,
  Equipment,
  Site,
  Ticket,
} from '@/api/field'
import type { MutationName } from '@/sync/mutations'

/** A queued mutation, waiting to be pushed. */
export interface OutboxEntry {
  /** Local order (auto-increment). */
  seq?: number
  /** The mutation id the server sees: 1, 2, 3 … per client id. */
  mid: number
  name: MutationName
  args: Record<string, unknown>
  /** RFC 3339, the device clock when the technician did it. */
  deviceTime: string
  /** pending; blocked when it cannot be sent at all (too large). */
  status: 'pending' | 'blocked'
  /** The last failure sending it, for display. */
  error?: string
  /** "collection/id" of every record it changes (for evict and the badges). */
  records: string[]
  /** Content hashes of the files it refers to: uploaded before the push. */
  files: string[]
}

/** A photo or signature image, stored by its SHA-256. */
export interface FileEntry {
  hash: string
  blob: Blob
  type: string
  size: number
  /** 1 once the server has it (booleans cannot be indexed). */
  uploaded: 0 | 1
  created: string
}

/** A mutation the server processed but did not apply as sent: shown, never retried. */
export interface SyncIssue {
  id?: number
  mid: number
  name: MutationName
  kind: 'conflict' | 'rejected'
  /** The conflict's reason code (field_changed, signed, state, reassigned) or the error code. */
  reason: string
  conflictId?: string
  /** The server's localized message for a rejection. */
  message?: string
  fields?: Record<string, string>
  args: Record<string, unknown>
  ticketId?: string
  at: string
}

/** A record of a collection this client has no table for. */
export interface OtherRecord {
  key: string
  collection: string
  id: string
  data: unknown
}

export interface MetaRow {
  key: MetaKey
  value: unknown
}

export type MetaKey =
  | 'clientId'
  | 'cursor'
  /** The last mutation id handed out on this device. */
  | 'lastMutationId'
  /** The last mutation id the server said it processed. */
  | 'ackedMutationId'
  /** ISO time of the last complete sync. */
  | 'lastSync'
  | 'user'
  /** "collection/id" of records evicted while mutations for them waited. */
  | 'evicted'

export interface UserRecord {
  id: string
  login: string
  name: string
  roles: string[]
}

export interface SettingsRecord {
  id: string
  [k: string]: unknown
}

/** The collections a pull may carry that have their own table. */
export const PULLED_TABLES = [
  'tickets',
  'customers',
  'sites',
  'contacts',
  'equipment',
  'templates',
  'checklists',
  'users',
  'conflicts',
  'settings',
] as const
export type PulledTable = (typeof PULLED_TABLES)[number]

export class FieldDb extends Dexie {
  tickets!: Table<Ticket, string>
  customers!: Table<Customer, string>
  sites!: Table<Site, string>
  contacts!: Table<Contact, string>
  equipment!: Table<Equipment, string>
  templates!: Table<ChecklistTemplate, string>
  checklists!: Table<Checklist, string>
  users!: Table<UserRecord, string>
  conflicts!: Table<Conflict, string>
  settings!: Table<SettingsRecord, string>
  other!: Table<OtherRecord, string>
  outbox!: Table<OutboxEntry, number>
  files!: Table<FileEntry, string>
  issues!: Table<SyncIssue, number>
  meta!: Table<MetaRow, MetaKey>

  constructor(name: string) {
    super(name)
    this.version(1).stores({
      tickets: 'id, state, plannedDate',
      customers: 'id',
      sites: 'id, customerId',
      contacts: 'id, customerId',
      equipment: 'id, siteId',
      templates: 'id',
      checklists: 'id, ticketId',
      users: 'id',
      conflicts: 'id, ticketId',
      settings: 'id',
      other: 'key, collection',
      outbox: '++seq, &mid, *records',
      files: 'hash, uploaded',
      issues: '++id, mid, ticketId',
      meta: 'key',
    })
  }
}

/** The database name of a user's data on this device. */
export function dbName(userId: string): string {
  return `elvcare-field-${userId}`
}

export async function getMeta<T>(db: FieldDb, key: MetaKey, fallback: T): Promise<T> {
  const row = await db.meta.get(key)
  return row === undefined ? fallback : (row.value as T)
}

export function setMeta(db: FieldDb, key: MetaKey, value: unknown): Promise<MetaKey> {
  return db.meta.put({ key, value })
}
