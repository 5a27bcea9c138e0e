import { ForbiddenError } from './ForbiddenError'

/** 403 for a write into a project the caller may not write into; the same answer whatever the reason. */
export class ProjectWriteForbidden extends ForbiddenError {
  constructor() {
    super({ message: 'You may not write into this project (or the document it is taken from does not exist).' })
  }
}
