import { sceneProductionMachine } from '../../../domain/statusMachines'
import { enforceStatusTransition } from '../../../hooks/enforceStatusTransition'

export const enforceProductionStatus = enforceStatusTransition({
  machine: sceneProductionMachine,
  path: ['production', 'status'],
  arbitrate: true,
})
