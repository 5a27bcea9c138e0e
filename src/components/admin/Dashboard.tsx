import type { Payload } from 'payload'

import type { User } from '../../payload-types'

import { labelFor } from '../../model/options'
import { dashboardService } from '../../services/dashboardService'
import { Figure } from './FigureField'
import { MediaThumbnail } from './MediaThumbnail'
import { MyInvitations } from './MyInvitations'

/**
 * Above the collection cards of the admin home: the signed-in user's work (src/services/dashboardService.ts), every
 * figure read with their access.
 */
export async function Dashboard({ payload, user }: { payload: Payload; user?: User | null }) {
  if (!user) return null
  const dashboard = await dashboardService.build({ actor: { payload, user } })
  const admin = payload.config.routes.admin
  return (
    <div className="dashboard" data-dashboard>
      <MyInvitations />
      <section className="dashboard__section">
        <h2>My projects</h2>
        {dashboard.projects.length === 0 && <p className="hub__hint">No projects yet.</p>}
        <table className="hub__table">
          <tbody>
            {dashboard.projects.map((project) => (
              <tr key={project.id} data-project={project.title}>
                <td>
                  <a href={`${admin}/collections/projects/${project.id}`}>{project.title}</a>
                </td>
                <td>{labelFor(project.status)}</td>
                <td className="hub__figure">
                  <Figure value={project.progress?.overallProgress} unit="percent" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div className="dashboard__counts">
        <CountsSection title="Episodes by status" kind="episodes" counts={dashboard.episodesByStatus} />
        <CountsSection title="Tasks" kind="tasks" counts={dashboard.tasksByStatus} />
        <section className="dashboard__section">
          <h2>Scenes awaiting review</h2>
          <dl className="dashboard__figures">
            <div data-count="scenes-reviewing">
              <dt>Reviewing</dt>
              <dd>{dashboard.scenesAwaitingReview.total}</dd>
            </div>
          </dl>
          <ul>
            {dashboard.scenesAwaitingReview.scenes.map((scene) => (
              <li key={scene.id}>
                <a href={`${admin}/collections/scenes/${scene.id}`}>{scene.title || `Scene ${scene.sceneNumber}`}</a>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="dashboard__section">
        <h2>Recent media</h2>
        {dashboard.recentMedia.length === 0 && <p className="hub__hint">No images yet.</p>}
        <ul className="hub__thumbnails">
          {dashboard.recentMedia.map((item) => (
            <li key={item.id}>
              <MediaThumbnail item={item} adminRoute={admin} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}

/** Counts by status, each marked `data-count="<kind>-<status>"`. */
function CountsSection({ title, kind, counts }: { title: string; kind: string; counts: Record<string, number> }) {
  return (
    <section className="dashboard__section">
      <h2>{title}</h2>
      <dl className="dashboard__figures">
        {Object.entries(counts).map(([status, count]) => (
          <div key={status} data-count={`${kind}-${status}`}>
            <dt>{labelFor(status)}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
