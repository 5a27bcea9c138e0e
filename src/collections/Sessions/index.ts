import type { CollectionConfig } from 'payload'

import { isSessionOwner } from '../../access/isSessionOwner'
import { isSessionOwnerInProject } from '../../access/isSessionOwnerInProject'
import { canCreateInProject } from '../../access/canCreateInProject'
import { isAdminField } from '../../access/isAdminField'
import { nextStatusSelect } from '../../fields/adminComponents'
import { projectField } from '../../fields/projectField'
import { sessionStateMachine } from '../../domain/statusMachines'
import { SESSION_HISTORY_CAP } from '../../records/sessionMessages'
import { enforceStatusTransition } from '../../hooks/enforceStatusTransition'
import { adminGroups, conversationRoles, sessionStates, toOptions } from '../../model/options'
import { slugs } from '../../model/slugs'
import { checkSessionReferences } from './hooks/checkSessionReferences'
import { closeAnsweredOfferOnly } from './hooks/closeAnsweredOfferOnly'
import { deleteSessionMessages } from './hooks/deleteSessionMessages'

/** Conversational UI state: one producer's workflow on one project. */
export const Sessions: CollectionConfig = {
  slug: slugs.sessions,
  admin: {
    useAsTitle: 'currentStep',
    defaultColumns: ['user', 'project', 'currentStep', 'sessionState', 'updatedAt'],
    group: adminGroups.workspace,
  },
  indexes: [{ fields: ['user', 'sessionState'] }],
  access: {
    read: isSessionOwner,
    create: canCreateInProject,
    update: isSessionOwnerInProject,
    delete: isSessionOwner,
  },
  hooks: {
    beforeChange: [enforceStatusTransition({ machine: sessionStateMachine, path: ['sessionState'] }), checkSessionReferences, closeAnsweredOfferOnly],
    afterDelete: [deleteSessionMessages],
  },
  fields: [
    projectField(),
    {
      name: 'user',
      type: 'relationship',
      relationTo: slugs.users,
      required: true,
      index: true,
      defaultValue: ({ user }) => user?.id,
      // A session always belongs to the person who opened it; only an admin sets or changes its user.
      access: { create: isAdminField, update: isAdminField },
      admin: { position: 'sidebar' },
    },
    {
      name: 'sessionState',
      type: 'select',
      options: toOptions(sessionStates),
      defaultValue: 'active',
      required: true,
      index: true,
      admin: { position: 'sidebar', components: nextStatusSelect(sessionStateMachine) },
    },
    { name: 'currentStep', type: 'text' },
    { name: 'awaitingUserInput', type: 'checkbox', defaultValue: false },
    {
      name: 'conversationHistory',
      type: 'array',
      admin: {
        description: `The last ${SESSION_HISTORY_CAP} messages (a copy refreshed on every append); the whole conversation is read through /api/v1/sessions/{id}/messages.`,
      },
      fields: [
        { name: 'role', type: 'select', options: toOptions(conversationRoles), required: true },
        { name: 'content', type: 'textarea', required: true },
        { name: 'timestamp', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
        { name: 'metadata', type: 'json' },
      ],
    },
    {
      name: 'contextData',
      type: 'group',
      fields: [
        { name: 'currentEpisode', type: 'relationship', relationTo: slugs.episodes },
        { name: 'currentScene', type: 'relationship', relationTo: slugs.scenes },
        { name: 'focusCharacter', type: 'relationship', relationTo: slugs.characters },
        { name: 'workflowState', type: 'json' },
        { name: 'userPreferences', type: 'json' },
      ],
    },
    {
      name: 'lastChoices',
      type: 'array',
      fields: [
        { name: 'choiceId', label: 'Choice', type: 'text', required: true },
        { name: 'label', type: 'text' },
        { name: 'action', type: 'text' },
        { name: 'metadata', type: 'json' },
      ],
    },
  ],
}
