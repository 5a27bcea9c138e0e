'use client'
import type { OptionObject, SelectFieldClient, TextFieldClientProps } from 'payload'

import { SelectField } from '@payloadcms/ui'

/** Edits a text field holding one of a fixed set of values with Payload's select input (see enumTextField). */
export function OptionsTextField(props: TextFieldClientProps & { options: OptionObject[] }) {
  // The server-side validate (enumTextField) checks the value; the select input only offers valid ones.
  const { options, field, validate: _validate, ...rest } = props
  const selectField = { ...field, type: 'select', options, hasMany: false } as unknown as SelectFieldClient
  return <SelectField {...rest} field={selectField} />
}
