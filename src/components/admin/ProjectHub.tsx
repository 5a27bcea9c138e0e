'use client'
import { useDocumentInfo } from '@payloadcms/ui'

import type { Character, Episode } from '../../payload-types'
import { Figure } from './FigureField'
import { labelFor } from '../../model/options'
import { useAddDrawer } from './useAddDrawer'
import { ProjectMembers } from './ProjectMembers'
import { useApiList } from './useApiList'

/** The project view's hub: its episodes in order (status, progress) and its characters, each with an "Add" drawer; its members. */
export function ProjectHub() {
  const { id } = useDocumentInfo()
  const project = id === undefined ? undefined : String(id)
  const episodes = useApiList<Episode>({
    collection: 'episodes',
    query: project && `where[project][equals]=${project}&sort=episodeNumber&limit=100&depth=0`,
  })
  const characters = useApiList<Character>({
    collection: 'characters',
    query: project && `where[project][equals]=${project}&sort=name&limit=100&depth=0`,
  })
  const { Drawer: EpisodeDrawer, Toggler: EpisodeToggler, onSave: onEpisodeSave } = useAddDrawer('episodes', episodes.reload)
  const { Drawer: CharacterDrawer, Toggler: CharacterToggler, onSave: onCharacterSave } = useAddDrawer('characters', characters.reload)
  if (!project) return <p className="hub__hint">Episodes and characters are listed here once the project is saved.</p>

  return (
    <div className="hub" data-hub="project">
      <section className="hub__section">
        <header className="hub__header">
          <h3>Episodes</h3>
          <EpisodeToggler className="btn btn--style-secondary btn--size-small">Add episode</EpisodeToggler>
        </header>
        {episodes.error && <p className="hub__error">{episodes.error}</p>}
        <table className="hub__table">
          <tbody>
            {(episodes.docs ?? []).map((episode) => (
              <tr key={episode.id} data-episode-number={episode.episodeNumber}>
                <td className="hub__number">{episode.episodeNumber}</td>
                <td>
                  <a href={`${episodes.adminRoute}/collections/episodes/${episode.id}`}>{episode.title}</a>
                </td>
                <td>{labelFor(episode.status)}</td>
                <td className="hub__figure">
                  <Figure value={episode.production?.renderProgress} unit="percent" />
                </td>
                <td>{episode.production?.sceneCount ?? 0} scenes</td>
              </tr>
            ))}
          </tbody>
        </table>
        {episodes.docs?.length === 0 && <p className="hub__hint">No episodes yet.</p>}
      </section>
      <section className="hub__section">
        <header className="hub__header">
          <h3>Characters</h3>
          <CharacterToggler className="btn btn--style-secondary btn--size-small">Add character</CharacterToggler>
        </header>
        <ul className="hub__chips">
          {(characters.docs ?? []).map((character) => (
            <li key={character.id}>
              <a href={`${characters.adminRoute}/collections/characters/${character.id}`}>{character.name}</a>
            </li>
          ))}
        </ul>
        {characters.docs?.length === 0 && <p className="hub__hint">No characters yet.</p>}
      </section>
      <ProjectMembers project={project} />
      <EpisodeDrawer initialData={{ project }} onSave={onEpisodeSave} />
      <CharacterDrawer initialData={{ project }} onSave={onCharacterSave} />
    </div>
  )
}
