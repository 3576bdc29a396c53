// The wire types of the server API, in one file so that moving to the
// generated schema (npm run gen:api → schema.d.ts) is a change here only:
// each type becomes an alias of components['schemas'][…].

/** Role ids as the server sends them (DOMAIN.md "People"). */
export type Role = 'desk' | 'manager' | 'technician' | 'finance' | 'admin'

/** The ELV systems a technician can be skilled in. */
export type System = 'network' | 'telephone' | 'pa' | 'cctv' | 'alarm' | 'onecard'

export const ROLES: readonly Role[] = ['desk', 'manager', 'technician', 'finance', 'admin']
export const SYSTEMS: readonly System[] = ['network', 'telephone', 'pa', 'cctv', 'alarm', 'onecard']

/** GET /api/auth/me, and the user in the login response. */
export interface Me {
  id: string
  login: string
  name: string
  roles: Role[]
  specialist: boolean
  skills: System[]
}

export interface LoginRequest {
  login: string
  password: string
}

export interface LoginResponse {
  user: Me
}

/** A user as the admin sees it. */
export interface User extends Me {
  disabled: boolean
  /** RFC 3339 */
  createdAt: string
}

export interface UserList {
  items: User[]
  total: number
}

export interface CreateUserRequest {
  login: string
  name: string
  password: string
  roles: Role[]
  specialist: boolean
  skills: System[]
}

export type UpdateUserRequest = Partial<Pick<User, 'name' | 'roles' | 'specialist' | 'skills' | 'disabled'>>

export interface SetPasswordRequest {
  password: string
}

export interface Company {
  name: string
  address: string
  hotline: string
  /** Content hash of the uploaded logo; empty when there is none. */
  logoHash: string
}

export type CompanyUpdate = Pick<Company, 'name' | 'address' | 'hotline'>

/** Every error response: message and field messages are already localized. */
export interface ErrorBody {
  error: {
    code: string
    message: string
    fields?: Record<string, string>
  }
}
