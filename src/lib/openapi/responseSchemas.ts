import { z } from 'zod'

import {
  episodeStatuses,
  genres,
  mediaStatuses,
  mediaTypes,
  projectStatuses,
  sceneProductionStatuses,
  taskStatuses,
  taskTypes,
} from '../../collections/options'

/** Response shapes for the OpenAPI document: the fields the list projections return (documents may carry more). */
const id = z.string().describe('Document id (24 hex characters)')
const timestamp = z.string().describe('ISO 8601 date-time')

export const errorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      code: z.string().describe('Stable machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND'),
      message: z.string(),
      details: z
        .looseObject({ issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
        .optional(),
    }),
  })
  .meta({ id: 'Error' })

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      docs: z.array(item),
      page: z.number().int(),
      limit: z.number().int(),
      totalDocs: z.number().int(),
      totalPages: z.number().int(),
      hasNextPage: z.boolean(),
      hasPrevPage: z.boolean(),
    })
    .meta({ id: `${name}Page` })

export const projectSchema = z
  .looseObject({
    id,
    title: z.string(),
    genre: z.enum(genres).nullish(),
    status: z.enum(projectStatuses),
    episodeCount: z.number().int(),
    createdBy: id,
    collaborators: z.array(id).nullish(),
    progress: z.looseObject({ overallProgress: z.number().nullish(), currentPhase: z.string().nullish() }).optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Project' })

export const sceneSchema = z
  .looseObject({
    id,
    episode: id,
    sceneNumber: z.number().int(),
    title: z.string().nullish(),
    production: z.looseObject({ status: z.enum(sceneProductionStatuses) }).optional(),
    characters: z.array(id).nullish(),
  })
  .meta({ id: 'Scene' })

export const taskSchema = z
  .looseObject({
    id,
    taskType: z.enum(taskTypes),
    project: id,
    status: z.enum(taskStatuses),
    priority: z.number().int(),
    createdAt: timestamp,
  })
  .meta({ id: 'Task' })

export const mediaSchema = z
  .looseObject({
    id,
    project: id.nullish(),
    filename: z.string().nullish(),
    mimeType: z.string().nullish(),
    url: z.string().nullish(),
    mediaType: z.enum(mediaTypes),
    status: z.enum(mediaStatuses),
    createdAt: timestamp,
  })
  .meta({ id: 'Media' })

export const overviewSchema = z
  .object({
    project: projectSchema,
    episodes: z.array(
      z.object({
        id,
        episodeNumber: z.number().int(),
        title: z.string(),
        status: z.enum(episodeStatuses),
        sceneCount: z.number().int(),
        completedScenes: z.number().int(),
        progress: z.number().describe('Approved scenes as a percentage of all scenes'),
        renderProgress: z.number(),
      }),
    ),
    characters: z.array(z.looseObject({ id, name: z.string(), description: z.string().nullish() })),
    latestMedia: z.array(mediaSchema),
    openTasks: z.array(taskSchema),
    cost: z.object({ total: z.number(), completedTasks: z.number().int(), openTasks: z.number().int() }),
  })
  .meta({ id: 'ProjectOverview' })
