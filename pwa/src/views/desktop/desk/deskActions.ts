// Confirmations the desk pages share: escalate with a note, cancel with a
// reason. Each answers the updated ticket, or null when the desk backed out.
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { i18n } from '@/i18n'
import { deskApi, type Ticket } from '@/composables/desk'
import { errorMessage } from '@/composables/useFieldErrors'

const t = i18n.global.t

async function prompt(title: string, message: string, opts: { confirm: string; placeholder: string; required: boolean; danger?: boolean }) {
  try {
    const r = await ElMessageBox.prompt(message, title, {
      confirmButtonText: opts.confirm,
      cancelButtonText: t('common.cancel'),
      inputPlaceholder: opts.placeholder,
      inputType: 'textarea',
      inputValidator: (v: string) => (!opts.required || (v ?? '').trim() ? true : t('desk.cancel.reasonRequired')),
      confirmButtonClass: opts.danger ? 'el-button--danger' : '',
      customClass: 'desk-prompt',
    })
    return (r.value ?? '').trim()
  } catch {
    return null
  }
}

export async function escalateTicket(id: string, number: string): Promise<Ticket | null> {
  const note = await prompt(t('desk.escalate.title', { number }), t('desk.escalate.prompt'), {
    confirm: t('desk.escalate.confirm'),
    placeholder: t('desk.escalate.placeholder'),
    required: false,
  })
  if (note === null) return null
  try {
    const tk = await deskApi.escalate(id, note)
    ElMessage.success(t('desk.escalate.done', { number }))
    return tk
  } catch (e) {
    ElMessage.error(errorMessage(e))
    return null
  }
}

export async function cancelTicket(id: string, number: string): Promise<Ticket | null> {
  const note = await prompt(t('desk.cancel.title', { number }), t('desk.cancel.prompt'), {
    confirm: t('desk.cancel.confirm'),
    placeholder: t('desk.cancel.placeholder'),
    required: true,
    danger: true,
  })
  if (note === null) return null
  try {
    const tk = await deskApi.cancel(id, note)
    ElMessage.success(t('desk.cancel.done', { number }))
    return tk
  } catch (e) {
    ElMessage.error(errorMessage(e))
    return null
  }
}
