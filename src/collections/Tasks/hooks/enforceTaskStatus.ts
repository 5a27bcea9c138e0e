import { taskStatusMachine } from '../../../domain/statusMachines'
import { enforceStatusTransition } from '../../../hooks/enforceStatusTransition'

/** REST, GraphQL and the admin follow the same task machine as the engine: an illegal change is a 409. */
export const enforceTaskStatus = enforceStatusTransition({ machine: taskStatusMachine, path: ['status'] })
