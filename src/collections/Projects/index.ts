import type { CollectionConfig } from 'payload'

import { isAdminField } from '../../access/isAdminField'
import { isProjectMember } from '../../access/isProjectMember'
import { isProjectOwner } from '../../access/isProjectOwner'
import { isProjectOwnerField } from '../../access/isProjectOwnerField'
import { isSignedInPerson } from '../../access/isSignedInPerson'
import { readProjects } from '../../access/readProjects'
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
} from '../options'
import { slugs } from '../slugs'
import { checkProjectConsistency } from './hooks/checkProjectConsistency'
import { enforceProjectQuota } from './hooks/enforceProjectQuota'
import { enforceProjectStatus } from './hooks/enforceProjectStatus'
import { recheckProjectQuota } from './hooks/recheckProjectQuota'
import { forgetMembershipCacheAfterChange, forgetMembershipCacheAfterDelete } from './hooks/forgetMembershipCache'
import { invalidateProjectCacheAfterChange, invalidateProjectCacheAfterDelete } from './hooks/invalidateProjectCache'
import { keepProjectProgress } from './hooks/keepProjectProgress'
import { recomputeAfterProjectChange } from './hooks/recomputeAfterProjectChange'
import { refuseProjectDelete } from './hooks/refuseProjectDelete'

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
    read: readProjects,
    create: isSignedInPerson,
    update: isProjectMember,
    delete: isProjectOwner,
  },
  hooks: {
    beforeChange: [enforceProjectQuota, enforceProjectStatus, checkProjectConsistency, keepProjectProgress],
    afterChange: [recheckProjectQuota, forgetMembershipCacheAfterChange, invalidateProjectCacheAfterChange, recomputeAfterProjectChange],
    beforeDelete: [refuseProjectDelete],
    afterDelete: [forgetMembershipCacheAfterDelete, invalidateProjectCacheAfterDelete],
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
    {
      name: 'status',
      type: 'select',
      options: toOptions(projectStatuses),
      defaultValue: 'concept',
      required: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'createdBy',
      type: 'relationship',
      relationTo: slugs.users,
      required: true,
      index: true,
      defaultValue: ({ user }) => user?.id,
      // Non-admins create projects they own; only the owner or an admin hands a project over.
      access: { create: isAdminField, update: isProjectOwnerField },
      admin: { position: 'sidebar' },
    },
    {
      name: 'collaborators',
      type: 'relationship',
      relationTo: slugs.users,
      hasMany: true,
      access: { update: isProjectOwnerField },
      admin: { position: 'sidebar' },
    },
    mediaField({
      name: 'styleReferences',
      types: ['style_reference'],
      hasMany: true,
      description: 'Media whose type is "Style reference".',
    }),
    {
      name: 'projectSettings',
      type: 'group',
      fields: [
        enumTextField({ name: 'aspectRatio', options: toOptions(aspectRatios), defaultValue: '16:9' }),
        { name: 'episodeDuration', type: 'number', min: 0, admin: { description: 'Minutes per episode.' } },
        { name: 'qualityTier', type: 'select', options: toOptions(qualityTiers), defaultValue: 'standard' },
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
          admin: { readOnly: true, description: 'Percent, derived from the episodes.' },
        },
      ],
    },
  ],
}
