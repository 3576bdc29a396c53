// Checks, at type-check time, the hand-written wire types in types.ts
// against the server's OpenAPI document (openapi.json → schema.d.ts, both
// generated: npm run gen:openapi && npm run gen:api). If the server changes
// a shape, `npm run typecheck` fails here.
//
// Known gap: the server types skills as plain strings; we narrow them to
// System. Once the spec enumerates systems, types.ts can become aliases of
// components['schemas'].
import type { components } from './schema'
import type {
  Company,
  CompanyUpdate,
  CreateUserRequest,
  ErrorBody,
  LoginRequest,
  LoginResponse,
  Me,
  SetPasswordRequest,
  UpdateUserRequest,
  User,
  UserList,
} from './types'

type S = components['schemas']

type Assignable<From, To> = [From] extends [To] ? true : false
type Expect<T extends true> = T
/** What we read, with skills as loose as the spec has them. */
type LooseSkills<T> = T extends { skills: unknown } ? Omit<T, 'skills'> & { skills: string[] } : T

export type WireContract = [
  // What we send, the server accepts.
  Expect<Assignable<LoginRequest, S['LoginRequest']>>,
  Expect<Assignable<CreateUserRequest, S['CreateUserRequest']>>,
  Expect<Assignable<UpdateUserRequest, S['UpdateUserRequest']>>,
  Expect<Assignable<SetPasswordRequest, S['PasswordRequest']>>,
  Expect<Assignable<CompanyUpdate, S['SyncCompanyArgs']>>,
  // What the server sends has everything we read.
  Expect<Assignable<S['Me'], LooseSkills<Me>>>,
  Expect<Assignable<S['User'], LooseSkills<User>>>,
  Expect<Assignable<S['LoginResponse'], { user: LooseSkills<LoginResponse['user']> }>>,
  Expect<Assignable<S['UserList'], { items: LooseSkills<User>[]; total: UserList['total'] }>>,
  Expect<Assignable<S['Company'], Company>>,
  Expect<Assignable<S['ErrorBody'], ErrorBody>>,
]
