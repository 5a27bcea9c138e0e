import type { CollectionConfig } from 'payload'

import { readTasks } from '../../access/readTasks'
import { canCreateInProject } from '../../access/canCreateInProject'
import { updateTasks } from '../../access/updateTasks'
import { isDocumentProjectMember } from '../../access/isDocumentProjectMember'
import { isNotApiKeyField } from '../../access/isNotApiKeyField'
import { isEngineOwnedField } from '../../access/isEngineOwnedField'
import { isEngineStateField } from '../../access/isEngineStateField'
import { nextStatusSelect, relatedList } from '../../fields/adminComponents'
import { projectField } from '../../fields/projectField'
import { taskStatusMachine } from '../../domain/statusMachines'
import { sameProjectFilter } from '../../fields/sameProjectFilter'
import { adminGroups, taskStatuses, taskTypes, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { checkTaskConsistency } from './hooks/checkTaskConsistency'
import { checkTaskTarget } from './hooks/checkTaskTarget'
import { describeTarget } from '../../records/taskTargets'
import { enforceTaskStatus } from './hooks/enforceTaskStatus'
import { publishTaskCreated } from './hooks/publishTaskCreated'
import { enforceTaskLimits, recheckOpenTasks } from './hooks/taskLimits'

// The fields src/model/engineFields.ts lists: the engine's state (admins repair it) and its bookkeeping (nobody).
const engineOwned = { create: isEngineOwnedField, update: isEngineOwnedField }
const engineState = { create: isEngineStateField, update: isEngineStateField }

/** Background AI generation jobs, picked off the queue by workers (status + priority). */
export const Tasks: CollectionConfig = {
  slug: slugs.tasks,
  admin: {
    useAsTitle: 'taskType',
    defaultColumns: ['taskType', 'status', 'fills', 'priority', 'project', 'createdAt'],
    group: adminGroups.ai,
  },
  // The queue order (status, priority desc, createdAt) needs a descending key, which Payload's compound indexes
  // cannot declare: src/queue/queueStore.ts creates it with the engine's other indexes.
  indexes: [{ fields: ['status', 'priority'] }, { fields: ['project', 'status'] }],
  hooks: {
    beforeChange: [enforceTaskStatus, enforceTaskLimits, checkTaskConsistency, checkTaskTarget],
    afterChange: [recheckOpenTasks, publishTaskCreated],
  },
  access: {
    read: readTasks,
    create: canCreateInProject,
    update: updateTasks,
    delete: isDocumentProjectMember,
  },
  fields: [
    // The definition fields: members and admins (isNotApiKeyField keeps workers out, also on create); the state
    // fields below belong to the engine (docs/ACCESS.md, "Who changes what on a task").
    { name: 'taskType', type: 'select', options: toOptions(taskTypes), required: true, index: true, access: { update: isNotApiKeyField } },
    projectField({ access: { update: isNotApiKeyField } }),
    { name: 'episode', type: 'relationship', relationTo: slugs.episodes, index: true, filterOptions: sameProjectFilter(), access: { update: isNotApiKeyField }, admin: { position: 'sidebar' } },
    { name: 'scene', type: 'relationship', relationTo: slugs.scenes, index: true, filterOptions: sameProjectFilter(), access: { update: isNotApiKeyField }, admin: { position: 'sidebar' } },
    { name: 'character', type: 'relationship', relationTo: slugs.characters, index: true, filterOptions: sameProjectFilter(), access: { update: isNotApiKeyField }, admin: { position: 'sidebar' } },
    // Cancel and Retry: a member changes a task's state through the engine (/api/v1/tasks/{id}/cancel, /retry).
    { name: 'engineActions', type: 'ui', admin: { components: relatedList('TaskActions') } },
    {
      type: 'row',
      fields: [
        {
          name: 'status',
          type: 'select',
          options: toOptions(taskStatuses),
          defaultValue: 'queued',
          required: true,
          index: true,
          // On create the creation-status rule holds a person to `queued` (409 otherwise, docs/ACCESS.md); after
          // that only the engine (and an admin's repair) moves it.
          access: { update: isEngineStateField },
          admin: { components: nextStatusSelect(taskStatusMachine) },
        },
        {
          name: 'priority',
          type: 'number',
          min: 1,
          max: 10,
          defaultValue: 5,
          required: true,
          index: true,
          access: { update: isNotApiKeyField },
        },
      ],
    },
    {
      // What the task's result fills (input.parameters.target, docs/QUEUE.md), shown in the task list; never stored.
      name: 'fills',
      type: 'text',
      virtual: true,
      hooks: { afterRead: [({ siblingData }) => describeTarget((siblingData as { input?: { parameters?: unknown } }).input?.parameters)] },
      admin: { readOnly: true, description: 'The field its result fills (input.parameters.target).' },
    },
    {
      name: 'input',
      type: 'group',
      access: { update: isNotApiKeyField },
      fields: [
        { name: 'promptId', label: 'Prompt execution', type: 'relationship', relationTo: slugs.promptsExecuted },
        { name: 'parameters', type: 'json' },
        { name: 'dependencies', type: 'relationship', relationTo: slugs.tasks, hasMany: true, filterOptions: sameProjectFilter() },
      ],
    },
    {
      name: 'output',
      type: 'group',
      access: engineState,
      fields: [
        { name: 'mediaId', label: 'Media', type: 'relationship', relationTo: slugs.media },
        { name: 'result', type: 'json' },
        {
          name: 'metrics',
          type: 'group',
          fields: [
            { name: 'processingTime', type: 'number', min: 0, access: engineOwned, admin: { description: 'Seconds, set by the engine.' } },
            { name: 'cost', type: 'number', min: 0 },
            { name: 'tokensUsed', type: 'number', min: 0 },
          ],
        },
      ],
    },
    {
      name: 'progress',
      type: 'group',
      access: engineState,
      fields: [
        { name: 'percentage', type: 'number', min: 0, max: 100, defaultValue: 0 },
        { name: 'currentStep', type: 'text' },
        { name: 'estimatedCompletion', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
    {
      name: 'error',
      type: 'group',
      access: engineState,
      fields: [
        { name: 'message', type: 'textarea' },
        { name: 'code', type: 'text' },
        { name: 'retryCount', type: 'number', min: 0, defaultValue: 0 },
        { name: 'lastRetry', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
    {
      name: 'worker',
      type: 'group',
      access: engineState,
      fields: [
        { name: 'workerId', label: 'Worker', type: 'text' },
        { name: 'startedAt', type: 'date', access: engineOwned, admin: { date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'heartbeat', type: 'date', access: engineOwned, admin: { date: { pickerAppearance: 'dayAndTime' } } },
      ],
    },
    { name: 'completedAt', type: 'date', access: engineOwned, admin: { position: 'sidebar', date: { pickerAppearance: 'dayAndTime' } } },
    {
      // The engine's bookkeeping of the current attempt (docs/QUEUE.md); beyond the spec, read-only.
      name: 'lease',
      type: 'group',
      access: engineOwned,
      admin: { readOnly: true },
      fields: [
        { name: 'attempt', type: 'number', min: 0, admin: { description: 'Attempts claimed so far.' } },
        { name: 'expiresAt', type: 'date', admin: { description: 'The holder must heartbeat before this.' } },
        { name: 'availableAt', type: 'date', admin: { description: 'Retry backoff: not claimable before this.' } },
      ],
    },
  ],
}
