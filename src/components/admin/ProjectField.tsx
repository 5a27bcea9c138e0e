'use client'
import type { RelationshipFieldClientProps } from 'payload'

import { RelationshipField, useConfig, useDocumentInfo, useEditDepth, useField, useFormFields } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

import { relationId } from '../../model/references'

/**
 * The project of the document open at each edit depth (1: the page, 2+: drawers stacked on it). A drawer opened
 * with "+" on a relationship field gets no initial data from Payload, so a new document in it takes its project
 * from the document it was opened from; without it the drawer's save is refused ("Project is required").
 */
const projectAtDepth = new Map<number, string>()

function enclosingProject(depth: number): string | undefined {
  for (let level = depth - 1; level >= 1; level--) {
    const project = projectAtDepth.get(level)
    if (project) return project
  }
  return undefined
}

/**
 * The `project` relationship of every project-scoped collection: Payload's field, plus (1) it tells drawers opened
 * from this form which project the document belongs to — its own, or for a scene left to its episode the episode's —
 * and (2) in a new document in a drawer it starts with the project of the form the drawer was opened from.
 */
export function ProjectField(props: RelationshipFieldClientProps) {
  const depth = useEditDepth()
  const { id } = useDocumentInfo()
  const { config } = useConfig()
  const { value, setValue } = useField<unknown>({ potentiallyStalePath: props.path })
  const episode = relationId(useFormFields(([fields]) => fields.episode?.value))
  const own = relationId(value)
  const [episodeProject, setEpisodeProject] = useState<{ episode: string; project?: string }>()

  // A scene or medium whose project is left to its episode: the episode's project, read as the signed-in user.
  useEffect(() => {
    if (own || !episode || episodeProject?.episode === episode) return
    let isCurrent = true
    void fetch(`${config.serverURL}${config.routes.api}/episodes/${episode}?depth=0&select[project]=true`, { credentials: 'include' })
      .then(async (response) => (response.ok ? ((await response.json()) as { project?: unknown }) : undefined))
      .then((doc) => {
        if (isCurrent) setEpisodeProject({ episode, project: relationId(doc?.project) })
      })
    return () => {
      isCurrent = false
    }
  }, [own, episode, episodeProject?.episode, config.serverURL, config.routes.api])

  const project = own ?? (episodeProject?.episode === episode ? episodeProject?.project : undefined)
  useEffect(() => {
    if (!project) return
    projectAtDepth.set(depth, project)
    return () => {
      if (projectAtDepth.get(depth) === project) projectAtDepth.delete(depth)
    }
  }, [depth, project])

  // Only when the drawer opens on a new document: a saved document keeps the project it has. Deferred to after the
  // commit: the drawer's Form loads its initial state in an effect that runs after this one and would replace it.
  useEffect(() => {
    if (id !== undefined || own || depth <= 1) return
    const inherited = enclosingProject(depth)
    if (!inherited) return
    const timer = setTimeout(() => setValue(inherited))
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the drawer's form first renders
  }, [])

  return <RelationshipField {...props} />
}
