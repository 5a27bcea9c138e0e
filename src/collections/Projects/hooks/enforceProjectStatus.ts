import { projectStatusMachine } from '../../../domain/statusMachines'
import { enforceStatusTransition } from '../../../hooks/enforceStatusTransition'

export const enforceProjectStatus = enforceStatusTransition({ machine: projectStatusMachine, path: ['status'], arbitrate: true })
