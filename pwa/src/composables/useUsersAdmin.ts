import { ref } from 'vue'
import { usersApi } from '@/api'
import type { CreateUserRequest, UpdateUserRequest, User } from '@/api/types'

/**
 * The admin's user list. Users are administered online only, so this talks
 * to the server directly rather than through the offline data layer.
 */
export function useUsersAdmin() {
  const users = ref<User[]>([])
  const loading = ref(false)
  const loadError = ref('')

  async function reload(): Promise<void> {
    loading.value = true
    loadError.value = ''
    try {
      const res = await usersApi.list()
      users.value = res.items
    } catch (e) {
      loadError.value = e instanceof Error ? e.message : String(e)
    } finally {
      loading.value = false
    }
  }

  function replace(user: User) {
    const i = users.value.findIndex((u) => u.id === user.id)
    if (i >= 0) users.value.splice(i, 1, user)
    else users.value.push(user)
  }

  async function create(input: CreateUserRequest): Promise<User> {
    const user = await usersApi.create(input)
    replace(user)
    return user
  }

  async function update(id: string, patch: UpdateUserRequest): Promise<User> {
    const user = await usersApi.update(id, patch)
    replace(user)
    return user
  }

  async function setPassword(id: string, password: string): Promise<void> {
    await usersApi.setPassword(id, password)
  }

  return { users, loading, loadError, reload, create, update, setPassword }
}
