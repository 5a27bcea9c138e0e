import type { TextField } from 'payload'

type Option = { label: string; value: string }

/**
 * A select whose stored values are not valid GraphQL enum names (aspectRatio `16:9`). Payload turns every select
 * option into a GraphQL enum value and, for such values, fails to build the whole GraphQL schema (payload issue
 * 13466). So the field is stored as text, validated against the options on every write, typed as the union of
 * the options in payload-types.ts, and edited in the admin with Payload's own select input.
 */
export function enumTextField({
  name,
  options,
  defaultValue,
  label,
  required,
}: {
  name: string
  options: readonly Option[]
  defaultValue?: string
  label?: string
  required?: boolean
}): TextField {
  const values = options.map((option) => option.value)
  return {
    name,
    type: 'text',
    label,
    required,
    defaultValue,
    validate: (value: string | null | undefined) => {
      if (value === null || value === undefined || value === '') {
        return required ? 'This field is required.' : true
      }
      return values.includes(value) ? true : `This field has an invalid selection: "${value}" is not one of ${values.join(', ')}.`
    },
    typescriptSchema: [
      () => ({
        type: required ? 'string' : ['string', 'null'],
        enum: required ? values : [...values, null],
      }),
    ],
    admin: {
      components: {
        Field: {
          path: '@/components/admin/OptionsTextField#OptionsTextField',
          clientProps: { options: [...options] },
        },
      },
    },
  } as TextField
}
