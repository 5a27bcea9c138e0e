'use client'
import { useDocumentInfo, useFormFields } from '@payloadcms/ui'

import { labelFor } from '../../model/options'
import { relationId } from '../../domain/references'
import type { Scene } from '../../payload-types'
import { useAddDrawer } from './useAddDrawer'
import { useApiList } from './useApiList'

/** The episode view's scenes in scene order, with "Add scene" opening a scene form filled with project and episode. */
export function EpisodeScenes() {
  const { id } = useDocumentInfo()
  const projectValue = useFormFields(([fields]) => fields.project?.value)
  const episode = id === undefined ? undefined : String(id)
  const project = relationId(projectValue)
  const scenes = useApiList<Scene>({
    collection: 'scenes',
    query: episode && `where[episode][equals]=${episode}&sort=sceneNumber&limit=200&depth=0`,
  })
  const { Drawer: SceneDrawer, Toggler: SceneToggler, onSave: onSceneSave } = useAddDrawer('scenes', scenes.reload)
  if (!episode) return <p className="hub__hint">Scenes are listed here once the episode is saved.</p>

  return (
    <div className="hub" data-hub="episode">
      <section className="hub__section">
        <header className="hub__header">
          <h3>Scenes</h3>
          <SceneToggler className="btn btn--style-secondary btn--size-small">Add scene</SceneToggler>
        </header>
        {scenes.error && <p className="hub__error">{scenes.error}</p>}
        <table className="hub__table">
          <tbody>
            {(scenes.docs ?? []).map((scene) => (
              <tr key={scene.id} data-scene-number={scene.sceneNumber}>
                <td className="hub__number">{scene.sceneNumber}</td>
                <td>
                  <a href={`${scenes.adminRoute}/collections/scenes/${scene.id}`}>{scene.title || `Scene ${scene.sceneNumber}`}</a>
                </td>
                <td>{labelFor(scene.production?.status)}</td>
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
