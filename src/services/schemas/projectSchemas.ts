import { z } from 'zod'

import {
  aspectRatios,
  genres,
  projectPhases,
  projectStatuses,
  qualityTiers,
  targetAudiences,
} from '../../model/options'
import { idSchema, nonNegative, paginationSchema, text } from './common'

const projectFields = {
  title: z.string().trim().min(1).max(200),
  description: text().nullish(),
  genre: z.enum(genres).nullish(),
  targetAudience: z.enum(targetAudiences).nullish(),
  episodeCount: z.number().int().min(1).max(50),
  status: z.enum(projectStatuses),
  styleReferences: z.array(idSchema).max(100),
  projectSettings: z
    .object({
      aspectRatio: z.enum(aspectRatios).nullish(),
      episodeDuration: nonNegative().max(10_000).nullish(),
      qualityTier: z.enum(qualityTiers).nullish(),
    })
    .strict()
    .partial(),
  // completedSteps and overallProgress are derived from the episodes (read-only): naming them is a 400.
  progress: z.object({ currentPhase: z.enum(projectPhases).nullish() }).strict().partial(),
}

export const createProjectSchema = z
  .object({ ...projectFields, episodeCount: projectFields.episodeCount.optional(), status: projectFields.status.optional() })
  .partial({ description: true, genre: true, targetAudience: true, styleReferences: true, projectSettings: true, progress: true })
  .strict()

/** Ownership and membership change through their own operations (addCollaborator), never through update. */
export const updateProjectSchema = z.object(projectFields).partial().strict()

export const findProjectsByUserSchema = paginationSchema
  .extend({
    status: z.enum(projectStatuses).optional(),
    genre: z.enum(genres).optional(),
    /** owned: projects I created; collaborating: projects I am a collaborator on; all (default): both. */
    role: z.enum(['all', 'owned', 'collaborating']).default('all'),
    /** Whose projects (default: the caller's). Only ever yields projects the caller may see. */
    userId: idSchema.optional(),
  })
  .strict()

export const collaboratorSchema = z.object({ userId: idSchema }).strict()

export type CreateProjectDTO = z.input<typeof createProjectSchema>
export type UpdateProjectDTO = z.input<typeof updateProjectSchema>
export type FindProjectsByUserDTO = z.input<typeof findProjectsByUserSchema>
export type CollaboratorDTO = z.input<typeof collaboratorSchema>
