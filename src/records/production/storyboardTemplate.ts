import type { Payload } from 'payload'

import type { PromptTemplate } from '../../payload-types'
import { cameraAngles } from '../../model/options'
import { slugs } from '../../model/slugs'

/** Where the storyboard planning template is found: the platform's own template, created on first use. */
export const storyboardTemplateKey = { app: 'movie-platform', feature: 'storyboard-plan', stage: 'production' } as const

/** The output the storyboard plan must give: panels with a description and a camera angle. */
export const storyboardOutputSchema = {
  type: 'object',
  required: ['panels'],
  properties: {
    panels: {
      type: 'array',
      minItems: 1,
      maxItems: 24,
      items: {
        type: 'object',
        required: ['description', 'cameraAngle'],
        properties: { description: { type: 'string', minLength: 1 }, cameraAngle: { enum: [...cameraAngles] } },
      },
    },
  },
} as const

// The action text stands on the lines after a line that is exactly `Action:`, up to the next blank line (the local
// chat model of AI_PROVIDER=local reads it there; docs/QUEUE.md).
const template = `You are the storyboard artist of an animated series. Plan the storyboard of one scene as panels: one
panel per beat of the action, each with a one-sentence visual description and a camera angle (one of
${cameraAngles.join(', ')}).

Scene: {{title}}
Location: {{location}}

Action:
{{action}}

Answer with JSON only: {"panels": [{"description": "...", "cameraAngle": "..."}]}`

/**
 * The storyboard planning template, created on first use (system data). Two first uses racing may both create one;
 * every caller then takes the oldest, so all plans use the same template and the spare one is harmless.
 */
export async function ensureStoryboardTemplate(payload: Payload): Promise<PromptTemplate> {
  const find = async () =>
    (
      await payload.find({
        collection: slugs.promptTemplates,
        where: {
          and: [
            { app: { equals: storyboardTemplateKey.app } },
            { feature: { equals: storyboardTemplateKey.feature } },
            { stage: { equals: storyboardTemplateKey.stage } },
          ],
        },
        sort: 'createdAt',
        limit: 1,
        depth: 0,
        overrideAccess: true, // system data, looked up for any producer
      })
    ).docs[0] as PromptTemplate | undefined
  const existing = await find()
  if (existing) return existing
  await payload.create({
    collection: slugs.promptTemplates,
    data: {
      name: 'Storyboard plan',
      ...storyboardTemplateKey,
      template,
      variableDefs: [
        { name: 'title', type: 'string', required: false, defaultValue: '' },
        { name: 'location', type: 'string', required: false, defaultValue: '' },
        { name: 'action', type: 'text', required: true },
      ],
      outputSchema: storyboardOutputSchema as unknown as Record<string, unknown>,
      model: 'anthropic/claude-sonnet-4',
      notes: 'Created by the production engine for POST /api/v1/episodes/{id}/produce. Its output becomes the scene storyboard panels.',
    } as never,
    overrideAccess: true, // system data created on first use
  })
  return (await find())!
}
