import type { Field } from 'payload'

/**
 * A field list with `map` applied to every field that holds data of its own, through groups, arrays, rows,
 * collapsibles, tabs and blocks (containers are rebuilt around their mapped children). The collection-wide field
 * rules (json limits, strict selects, optional filled fields) all walk the tree through here.
 */
export function mapFields(fields: Field[], map: (field: Field) => Field): Field[] {
  return fields.map((field) => {
    if (field.type === 'tabs') return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: mapFields(tab.fields, map) })) }
    if (field.type === 'blocks') return { ...field, blocks: field.blocks.map((block) => ({ ...block, fields: mapFields(block.fields, map) })) }
    if ('fields' in field && Array.isArray(field.fields)) return { ...field, fields: mapFields(field.fields, map) } as Field
    return map(field)
  })
}
