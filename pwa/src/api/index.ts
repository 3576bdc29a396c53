// The server API, one function per endpoint. Views reach it through
// composables and stores, never directly.
import { request } from './client'
import type {
  Company,
  CompanyUpdate,
  CreateUserRequest,
  LoginRequest,
  LoginResponse,
  Me,
  UpdateUserRequest,
  User,
  UserList,
} from './types'

export { ApiError, isApiError } from './errors'
export { configureApi } from './client'
export type * from './types'
export { ROLES, SYSTEMS } from './types'

const enc = encodeURIComponent

export const authApi = {
  login: (body: LoginRequest) => request<LoginResponse>('POST', '/api/auth/login', { body, expect401: true }),
  logout: () => request<void>('POST', '/api/auth/logout', { expect401: true }),
  me: () => request<Me>('GET', '/api/auth/me', { expect401: true }),
}

export const usersApi = {
  list: () => request<UserList>('GET', '/api/users'),
  create: (body: CreateUserRequest) => request<User>('POST', '/api/users', { body }),
  update: (id: string, body: UpdateUserRequest) => request<User>('PATCH', `/api/users/${enc(id)}`, { body }),
  setPassword: (id: string, password: string) =>
    request<void>('POST', `/api/users/${enc(id)}/password`, { body: { password } }),
}

export const companyApi = {
  get: () => request<Company>('GET', '/api/settings/company'),
  update: (body: CompanyUpdate) => request<Company>('PUT', '/api/settings/company', { body }),
  uploadLogo: (file: Blob) =>
    request<Company>('POST', '/api/settings/company/logo', { body: file, contentType: file.type }),
  /** The logo's address; the hash busts caches when a new one is uploaded. */
  logoUrl: (logoHash: string) => (logoHash ? `/api/settings/company/logo?v=${enc(logoHash)}` : ''),
}
