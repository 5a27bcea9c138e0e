/**
 * The spec's enums, one constant each, so collections, services and validation schemas share the same values.
 */
export const roles = ['user', 'producer', 'admin'] as const
export const subscriptionTiers = ['free', 'pro', 'enterprise'] as const
export const genres = ['action', 'comedy', 'drama', 'horror', 'sci-fi', 'thriller', 'romance', 'documentary'] as const
export const targetAudiences = ['children', 'family', 'teen', 'adult'] as const
export const projectStatuses = ['concept', 'pre-production', 'production', 'post-production', 'completed', 'on-hold'] as const
export const aspectRatios = ['16:9', '4:3', '21:9'] as const
export const qualityTiers = ['draft', 'standard', 'premium'] as const
export const projectPhases = [
  'story_development',
  'character_creation',
  'visual_design',
  'audio_design',
  'scene_production',
  'post_production',
  'final_assembly',
] as const
export const episodeStatuses = ['planning', 'scripting', 'storyboarding', 'production', 'editing', 'completed'] as const
export const sceneProductionStatuses = ['pending', 'generating', 'reviewing', 'approved', 'failed'] as const
export const timesOfDay = ['dawn', 'day', 'dusk', 'night'] as const
export const mediaTypes = [
  'style_reference',
  'character_design',
  'environment_design',
  'concept_art',
  'storyboard',
  'video_segment',
  'audio_clip',
  'voice_profile',
  'music_track',
  'sound_effect',
  'final_video',
] as const
export const generationProviders = ['fal', 'openrouter', 'elevenlabs', 'custom'] as const
export const mediaStatuses = ['active', 'draft', 'archived', 'processing', 'failed'] as const
export const conversationRoles = ['user', 'assistant', 'system'] as const
export const sessionStates = ['active', 'paused', 'completed', 'error'] as const
export const taskTypes = [
  'image_generation',
  'video_generation',
  'audio_generation',
  'script_generation',
  'embedding_generation',
  'scene_assembly',
] as const
export const taskStatuses = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const
/** Statuses of a task not yet finished: counted as open on the overview; a worker may see the task's project media and attach generated media. */
export const openTaskStatuses = ['queued', 'processing'] as const satisfies readonly (typeof taskStatuses)[number][]
export const variableTypes = ['string', 'number', 'boolean', 'json', 'text', 'url'] as const
export const promptModels = [
  'anthropic/claude-sonnet-4',
  'qwen/qwen3-vl-235b-a22b-thinking',
  'fal-ai/nano-banana',
  'fal-ai/nano-banana/edit',
] as const
export const executionStatuses = ['success', 'error'] as const

/** Turns enum values into admin options with readable labels (`sci-fi` → `Sci-fi`, `video_segment` → `Video segment`). */
export function toOptions(values: readonly string[]): { label: string; value: string }[] {
  return values.map((value) => ({ value, label: labelFor(value) }))
}

/** A stored enum value as words for the admin (a dash when empty). */
export function labelFor(value: string | null | undefined): string {
  if (!value) return '—'
  if (value.includes('/') || /^\d/.test(value)) return value
  const words = value.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export const adminGroups = {
  production: 'Production',
  assets: 'Assets',
  ai: 'AI pipeline',
  workspace: 'Workspace',
  accounts: 'Accounts',
  system: 'System',
} as const

/** An invitation into a project as collaborator, or a hand-over of its ownership. */
export const invitationKinds = ['collaborator', 'ownership'] as const
/**
 * `removed`: the member was removed after accepting (the record that keeps a later re-sync from re-adding them).
 * `withdrawn`: the sender (or an admin) took the invitation back before it was answered.
 */
export const invitationStatuses = ['pending', 'accepted', 'declined', 'removed', 'withdrawn'] as const
/** Camera angles of a storyboard panel (the storyboard plan's output schema; the spec leaves the field free text). */
export const cameraAngles = ['wide', 'medium', 'close-up', 'over-the-shoulder', 'high-angle', 'low-angle'] as const
/** The parts of a scene a review can send back for another generation round. */
export const regenerableSceneParts = ['storyboard', 'video', 'audio'] as const
/**
 * The phases of a screenplay import's `screenplay.import` events: `writing` (`done` of `total` scenes written),
 * `completed`, `undone` (it failed and what it wrote was removed), `failed` (a replace failed removing the old scenes).
 */
export const screenplayImportPhases = ['writing', 'completed', 'undone', 'failed'] as const
