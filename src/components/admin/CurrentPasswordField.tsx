'use client'
import type { TextFieldClientProps } from 'payload'

import { PasswordField, useAuth, useDocumentInfo, useFormFields } from '@payloadcms/ui'

/**
 * The current password, asked on one's own account view as soon as a new password is typed (after Payload's
 * "Change Password") or the email is edited. The value goes out with the save as `currentPassword`, which
 * the server requires for a change of one's own password or email (requireCurrentPassword); an admin editing someone else's
 * account is not asked, and nobody sees it otherwise.
 */
export function CurrentPasswordField(props: TextFieldClientProps) {
  const { id } = useDocumentInfo()
  const { user } = useAuth()
  const changingPassword = useFormFields(([fields]) => typeof fields.password?.value === 'string' && fields.password.value !== '')
  // The email too: a new address needs the current password (and then a confirmation from that address).
  const changingEmail = useFormFields(([fields]) => Boolean(user) && typeof fields.email?.value === 'string' && fields.email.value.trim().toLowerCase() !== String(user?.email ?? '').toLowerCase())
  const ownAccount = Boolean(user && id !== undefined && String(user.id) === String(id))
  if (!ownAccount || !(changingPassword || changingEmail)) return null
  return (
    <PasswordField
      autoComplete="current-password"
      field={{ name: props.path, label: 'Current password', required: true }}
      path={props.path}
      schemaPath={props.schemaPath}
    />
  )
}
