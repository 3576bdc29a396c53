import type { Role } from '@/api/types'

/** Where each role starts after login. */
export const ROLE_HOME: Readonly<Record<Role, string>> = {
  technician: '/m/tickets',
  desk: '/d/dispatch',
  manager: '/d/queue',
  finance: '/d/fees',
  admin: '/d/users',
}

/** Technicians work on a phone; every other role at a desk. */
export function layoutOf(role: Role): 'mobile' | 'desktop' {
  return role === 'technician' ? 'mobile' : 'desktop'
}

export function homePath(role: Role | null | undefined): string {
  return role ? ROLE_HOME[role] : '/login'
}

// Desk roles first: a person who is both, at a desk, is there for that work.
const DESK_PRIORITY: readonly Role[] = ['desk', 'manager', 'finance', 'admin', 'technician']

/**
 * The role a user starts in: the one chosen last time if they still hold
 * it; otherwise technician on a narrow (phone) screen when they have it, else
 * the first desk role they hold.
 */
export function defaultRole(
  roles: readonly Role[],
  opts: { stored?: string | null; narrow?: boolean } = {},
): Role | null {
  if (roles.length === 0) return null
  const stored = roles.find((r) => r === opts.stored)
  if (stored) return stored
  if (opts.narrow && roles.includes('technician')) return 'technician'
  return DESK_PRIORITY.find((r) => roles.includes(r)) ?? null
}
