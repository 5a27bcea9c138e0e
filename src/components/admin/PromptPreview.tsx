'use client'
import type { FormState } from 'payload'

import { useConfig, useDocumentInfo, useFormFields, useFormModified } from '@payloadcms/ui'
import { useState } from 'react'

type Variable = { name: string; type: string; value: unknown }
type Rendered = { resolvedPrompt: string; version: number; variables: Variable[] }
type Refusal = { message: string; issues: { path: string; message: string }[] }

/** A value of each type that passes the render's checks, for variables without a default. */
const sampleByType: Record<string, unknown> = { number: 0, boolean: false, json: {}, url: 'https://example.com' }

/** The variables as the form holds them now: name → default (or a sample of the type). */
function sampleInputs(fields: FormState): Record<string, unknown> {
  const inputs: Record<string, unknown> = {}
  for (let row = 0; fields[`variableDefs.${row}.name`]; row++) {
    const name = fields[`variableDefs.${row}.name`]?.value
    if (typeof name !== 'string' || !name) continue
    const fallback = fields[`variableDefs.${row}.defaultValue`]?.value
    const type = String(fields[`variableDefs.${row}.type`]?.value ?? 'string')
    inputs[name] = fallback ?? (type in sampleByType ? sampleByType[type] : '')
  }
  return inputs
}

const format = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/**
 * The template edit view's Preview: sample inputs (prefilled from the variables' defaults) rendered by
 * POST /api/v1/prompt-templates/{id}/render — the resolved prompt and the variables it found, or the per-variable
 * messages of a refusal. It renders the saved template; no model is called.
 */
export function PromptPreview() {
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const fields = useFormFields(([formFields]) => formFields)
  const isModified = useFormModified()
  const [inputsText, setInputsText] = useState(() => JSON.stringify(sampleInputs(fields), null, 2))
  const [rendered, setRendered] = useState<Rendered>()
  const [refusal, setRefusal] = useState<Refusal>()
  const [isLoading, setIsLoading] = useState(false)

  if (id === undefined) {
    return (
      <div className="prompt-preview" data-prompt-preview>
        <h3>Preview</h3>
        <p className="hub__hint">Save the template first: the preview renders the saved template.</p>
      </div>
    )
  }

  const preview = async () => {
    setRendered(undefined)
    setRefusal(undefined)
    let inputs: unknown
    try {
      inputs = JSON.parse(inputsText || '{}')
    } catch (error) {
      return setRefusal({ message: `The sample inputs are not JSON: ${(error as Error).message}`, issues: [] })
    }
    setIsLoading(true)
    try {
      const response = await fetch(`${config.serverURL}${config.routes.api}/v1/prompt-templates/${id}/render`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs }),
      })
      const body = (await response.json().catch(() => undefined)) as
        | (Rendered & { error?: { message?: string; details?: { issues?: Refusal['issues'] } } })
        | undefined
      if (response.ok && body) return setRendered(body)
      setRefusal({
        message: body?.error?.message ?? `The preview failed (${response.status}).`,
        issues: body?.error?.details?.issues ?? [],
      })
    } catch (error) {
      setRefusal({ message: `The preview failed: ${(error as Error).message}`, issues: [] })
    } finally {
      setIsLoading(false)
    }
  }

  return (
    <div className="prompt-preview hub" data-prompt-preview>
      <section className="hub__section">
        <header className="hub__header">
          <h3>Preview</h3>
        </header>
        {isModified && <p className="hub__hint">The preview renders the saved template: save to preview your changes.</p>}
        <label className="field-label" htmlFor="prompt-preview-inputs">
          Sample inputs (JSON, one key per variable)
        </label>
        <textarea
          id="prompt-preview-inputs"
          className="prompt-preview__inputs"
          rows={8}
          value={inputsText}
          onChange={(event) => setInputsText(event.target.value)}
        />
        <div className="prompt-preview__actions">
          <button type="button" className="btn btn--style-primary btn--size-small" disabled={isLoading} onClick={() => void preview()}>
            Preview
          </button>
          <button
            type="button"
            className="btn btn--style-secondary btn--size-small"
            onClick={() => setInputsText(JSON.stringify(sampleInputs(fields), null, 2))}
          >
            Use the defaults
          </button>
        </div>
        {refusal && (
          <div className="hub__error prompt-preview__refusal" role="alert">
            <p>{refusal.message}</p>
            <ul>
              {refusal.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`} data-issue={issue.path.replace(/^inputs\./, '')}>
                  <strong>{issue.path.replace(/^inputs\./, '')}</strong>: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {rendered && (
          <div className="prompt-preview__result">
            <h4>Resolved prompt (version {rendered.version})</h4>
            <pre className="prompt-preview__prompt" data-resolved-prompt>
              {rendered.resolvedPrompt}
            </pre>
            <h4>Variables</h4>
            <table className="hub__table">
              <tbody>
                {rendered.variables.map((variable) => (
                  <tr key={variable.name} data-variable={variable.name}>
                    <td>{variable.name}</td>
                    <td>{variable.type}</td>
                    <td>{format(variable.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
