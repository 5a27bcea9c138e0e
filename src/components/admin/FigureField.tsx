'use client'
import type { DefaultCellComponentProps, NumberFieldClient, NumberFieldClientProps, StaticDescription } from 'payload'

import { FieldDescription, FieldLabel, useField } from '@payloadcms/ui'

import type { FigureUnit } from '../../fields/adminComponents'

/** "2 min 05 s", "45 s"; an empty value reads as a dash. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds)
  if (whole < 60) return `${whole} s`
  const minutes = Math.floor(whole / 60)
  const rest = String(whole % 60).padStart(2, '0')
  if (minutes < 60) return `${minutes} min ${rest} s`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

/** A number as a figure: a percent bar, a duration or a plain count. */
export function Figure({ value, unit }: { value: unknown; unit: FigureUnit }) {
  const number = typeof value === 'number' && Number.isFinite(value) ? value : undefined
  if (unit === 'percent') {
    const percent = Math.max(0, Math.min(100, number ?? 0))
    return (
      <span className="figure figure--percent" data-figure={percent}>
        <span className="figure__bar" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
          <span className="figure__fill" style={{ width: `${percent}%` }} />
        </span>
        <span className="figure__text">{Math.round(percent)}%</span>
      </span>
    )
  }
  if (number === undefined) return <span className="figure">—</span>
  return <span className="figure" data-figure={number}>{unit === 'seconds' ? formatDuration(number) : number}</span>
}

/** Edit view: the derived figure with its label and description, not a greyed-out input. */
export function FigureField(props: NumberFieldClientProps & { unit: FigureUnit }) {
  const { field, path, unit } = props
  const { value } = useField<number>({ potentiallyStalePath: path })
  return (
    <div className="field-type figure-field" id={`field-${(path ?? field.name).replace(/\./g, '__')}`}>
      <FieldLabel label={field.label} path={path} />
      <Figure value={value} unit={unit} />
      <FieldDescription description={field.admin?.description as StaticDescription | undefined} path={path ?? field.name} />
    </div>
  )
}

/** List view cell of the same figure. */
export function FigureCell(props: DefaultCellComponentProps<NumberFieldClient> & { unit: FigureUnit }) {
  return <Figure value={props.cellData} unit={props.unit} />
}
