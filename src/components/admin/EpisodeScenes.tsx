'use client'
import { useConfig, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import { useState } from 'react'

import { labelFor } from '../../model/options'
import { relationId } from '../../model/references'
import type { Scene } from '../../payload-types'
import { useAddDrawer } from './useAddDrawer'
import { useApiList } from './useApiList'

/** The message of an /api/v1 error body, with the field issues it names. */
async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { message?: string; details?: { issues?: { message: string }[] } } }
    | undefined
  const issues = body?.error?.details?.issues?.map((issue) => issue.message) ?? []
  return [body?.error?.message ?? `The scenes could not be re-ordered (${response.status}).`, ...issues].join(': ')
}

/**
 * The episode view's scenes in scene order, with "Add scene" opening a scene form filled with project and episode,
 * and ↑/↓ moving a scene one place (POST /api/v1/episodes/{id}/scenes/order renumbers them all 1..n).
 */
export function EpisodeScenes() {
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const projectValue = useFormFields(([fields]) => fields.project?.value)
  const episode = id === undefined ? undefined : String(id)
  const project = relationId(projectValue)
  const scenes = useApiList<Scene>({
    collection: 'scenes',
    query: episode && `where[episode][equals]=${episode}&sort=sceneNumber&limit=200&depth=0`,
  })
  const { Drawer: SceneDrawer, Toggler: SceneToggler, onSave: onSceneSave } = useAddDrawer('scenes', scenes.reload)
  const [isMoving, setIsMoving] = useState(false)
  const [moveError, setMoveError] = useState<string | undefined>(undefined)
  if (!episode) return <p className="hub__hint">Scenes are listed here once the episode is saved.</p>

  const move = async (from: number, to: number) => {
    const order = (scenes.docs ?? []).map((scene) => scene.id)
    order.splice(to, 0, ...order.splice(from, 1))
    setIsMoving(true)
    try {
      const response = await fetch(`${config.serverURL}/api/v1/episodes/${episode}/scenes/order`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ sceneIds: order }),
      })
      setMoveError(response.ok ? undefined : await errorMessage(response))
    } catch {
      setMoveError('The scenes could not be re-ordered: the server did not answer.')
    } finally {
      setIsMoving(false)
      scenes.reload()
    }
  }
  const count = scenes.docs?.length ?? 0

  return (
    <div className="hub" data-hub="episode">
      <section className="hub__section">
        <header className="hub__header">
          <h3>Scenes</h3>
          <SceneToggler className="btn btn--style-secondary btn--size-small">Add scene</SceneToggler>
        </header>
        {scenes.error && <p className="hub__error">{scenes.error}</p>}
        {moveError && <p className="hub__error">{moveError}</p>}
        <table className="hub__table">
          <tbody>
            {(scenes.docs ?? []).map((scene, index) => (
              <tr key={scene.id} data-scene-number={scene.sceneNumber}>
                <td className="hub__number">{scene.sceneNumber}</td>
                <td>
                  <a href={`${scenes.adminRoute}/collections/scenes/${scene.id}`}>{scene.title || `Scene ${scene.sceneNumber}`}</a>
                </td>
                <td>{labelFor(scene.production?.status)}</td>
                <td className="hub__actions">
                  <button
                    type="button"
                    className="btn btn--style-secondary btn--size-small"
                    aria-label={`Move scene ${scene.sceneNumber} up`}
                    disabled={isMoving || index === 0}
                    onClick={() => void move(index, index - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn--style-secondary btn--size-small"
                    aria-label={`Move scene ${scene.sceneNumber} down`}
                    disabled={isMoving || index === count - 1}
                    onClick={() => void move(index, index + 1)}
                  >
                    ↓
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {scenes.docs?.length === 0 && <p className="hub__hint">No scenes yet.</p>}
      </section>
      <SceneDrawer initialData={{ project, episode }} onSave={onSceneSave} />
    </div>
  )
}
