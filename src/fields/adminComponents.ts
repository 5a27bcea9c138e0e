import type { StateMachine } from '../domain/statusMachines'

/** Paths of the custom admin components (src/components/admin), as registered in the import map. */
const component = (file: string, exportName = file) => `@/components/admin/${file}#${exportName}`

/**
 * A status select that offers only the statuses the machine allows from the saved one; on create the initial status
 * (admins: any).
 */
export function nextStatusSelect<S extends string>(machine: StateMachine<S>) {
  return { Field: { path: component('NextStatusSelectField'), clientProps: { transitions: machine.transitions, initial: machine.initial } } }
}

export type FigureUnit = 'percent' | 'seconds' | 'count'

/** A read-only derived number shown as a figure (a percent bar, a duration), in the form and in list cells. */
export function figure(unit: FigureUnit) {
  return {
    Field: { path: component('FigureField'), clientProps: { unit } },
    Cell: { path: component('FigureField', 'FigureCell'), clientProps: { unit } },
  }
}

/** A select of quality tiers that leaves out the tiers the signed-in user's subscription does not include. */
export const qualityTierSelect = { Field: { path: component('QualityTierField') } }

/** The `project` relationship: tells drawers opened from the form its project, and takes it in a new one. */
export const projectSelect = { Field: { path: component('ProjectField') } }

/** A block of the edit view: related documents (the project hub, an episode's scenes, a scene's media), the prompt preview. */
export function relatedList(file: string) {
  return { Field: { path: component(file) } }
}
