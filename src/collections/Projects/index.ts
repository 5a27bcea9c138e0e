import type { CollectionConfig } from 'payload'

import { isAdminField } from '../../access/isAdminField'
import { invalidateCachedReads } from '../../hooks/invalidateCachedReads'
import { cacheTags } from '../../lib/cache'
import { isProjectMember } from '../../access/isProjectMember'
import { isProjectOwner } from '../../access/isProjectOwner'
import { canOnlyRemoveCollaboratorsField } from '../../access/canOnlyRemoveCollaboratorsField'
import { isSignedInPerson } from '../../access/isSignedInPerson'
import { figure, nextStatusSelect, qualityTierSelect, relatedList } from '../../fields/adminComponents'
import { enumTextField } from '../../fields/enumTextField'
import { mediaField } from '../../fields/mediaField'
import {
  adminGroups,
  aspectRatios,
  genres,
  projectPhases,
  projectStatuses,
  qualityTiers,
  targetAudiences,
  toOptions,
} from '../../model/options'
import { slugs } from '../../model/slugs'
import { projectStatusMachine } from '../../domain/statusMachines'
import { checkProjectConsistency } from './hooks/checkProjectConsistency'
import { enforceProjectQuota, projectSlots } from './hooks/projectQuota'
import { enforceProjectStatus } from './hooks/enforceProjectStatus'
import { forgetMembershipCacheAfterChange, forgetMembershipCacheAfterDelete } from './hooks/forgetMembershipCache'
import { leaveOutOfDuplicate } from '../../fields/leaveOutOfDuplicate'
import { keepProjectProgress } from './hooks/keepProjectProgress'
import { recomputeAfterProjectChange } from './hooks/recomputeAfterProjectChange'
import { recordRemovedCollaborators } from './hooks/recordRemovedCollaborators'
import { refuseProjectDelete } from './hooks/refuseProjectDelete'
import { archiveFinishedTasksOnDelete } from '../../hooks/archiveFinishedTasks'

const projectCacheInvalidation = invalidateCachedReads(cacheTags.project)

export const Projects: CollectionConfig = {
  slug: slugs.projects,
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'genre', 'status', 'episodeCount', 'createdBy', 'updatedAt'],
    group: adminGroups.production,
    listSearchableFields: ['title', 'description'],
  },
  indexes: [{ fields: ['createdBy', 'status'] }, { fields: ['collaborators', 'status'] }],
  access: {
    read: isProjectMember,
    create: isSignedInPerson,
    update: isProjectMember,
    delete: isProjectOwner,
  },
  hooks: {
    beforeChange: [enforceProjectQuota, enforceProjectStatus, checkProjectConsistency, keepProjectProgress],
    afterChange: [projectSlots.afterChange, recordRemovedCollaborators, forgetMembershipCacheAfterChange, projectCacheInvalidation.afterChange, recomputeAfterProjectChange],
    beforeDelete: [refuseProjectDelete, archiveFinishedTasksOnDelete({ field: 'project', reason: 'project-deleted' })],
    afterDelete: [projectSlots.afterDelete, forgetMembershipCacheAfterDelete, projectCacheInvalidation.afterDelete],
  },
  fields: [
    { name: 'title', type: 'text', required: true, index: true },
    { name: 'description', type: 'textarea' },
    {
      type: 'row',
      fields: [
        { name: 'genre', type: 'select', options: toOptions(genres), index: true },
        { name: 'targetAudience', type: 'select', options: toOptions(targetAudiences) },
        { name: 'episodeCount', type: 'number', min: 1, max: 50, defaultValue: 1, required: true },
      ],
    },
    // The project hub: its episodes in order and its characters (admin only, stores nothing).
    { name: 'hub', type: 'ui', admin: { components: relatedList('ProjectHub') } },
    {
      name: 'status',
      type: 'select',
      options: toOptions(projectStatuses),
      defaultValue: 'concept',
      hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
      required: true,
      index: true,
      admin: { position: 'sidebar', components: nextStatusSelect(projectStatusMachine) },
    },
    {
      name: 'createdBy',
      type: 'relationship',
      relationTo: slugs.users,
      required: true,
      index: true,
      defaultValue: ({ user }) => user?.id,
      // Non-admins create projects they own; a hand-over is an ownership invitation the new owner accepts
      // (invitationService), so only admins write this field.
      access: { create: isAdminField, update: isAdminField },
      admin: { position: 'sidebar' },
    },
    {
      name: 'collaborators',
      type: 'relationship',
      relationTo: slugs.users,
      hasMany: true,
      // Members join by accepting an invitation; the owner may only remove (admins anything).
      access: { create: isAdminField, update: canOnlyRemoveCollaboratorsField },
      hooks: { beforeDuplicate: [leaveOutOfDuplicate] },
      admin: { position: 'sidebar' },
    },
    mediaField({
      name: 'styleReferences',
      types: ['style_reference'],
      hasMany: true,
      description: 'Media of this project whose type is "Style reference".',
      scope: 'own',
    }),
    {
      name: 'projectSettings',
      type: 'group',
      fields: [
        enumTextField({ name: 'aspectRatio', options: toOptions(aspectRatios), defaultValue: '16:9' }),
        { name: 'episodeDuration', type: 'number', min: 0, admin: { description: 'Minutes per episode.' } },
        {
          name: 'qualityTier',
          type: 'select',
          options: toOptions(qualityTiers),
          defaultValue: 'standard',
          admin: { components: qualityTierSelect },
        },
      ],
    },
    {
      name: 'progress',
      type: 'group',
      fields: [
        { name: 'currentPhase', type: 'select', options: toOptions(projectPhases), defaultValue: 'story_development' },
        {
          name: 'completedSteps',
          type: 'text',
          hasMany: true,
          admin: { readOnly: true, description: 'Phases every planned episode has finished (derived from the episodes).' },
        },
        {
          name: 'overallProgress',
          type: 'number',
          min: 0,
          max: 100,
          defaultValue: 0,
          admin: { readOnly: true, description: 'Percent, derived from the episodes.', components: figure('percent') },
        },
      ],
    },
  ],
}
