import { episodeStatusMachine } from '../../../domain/statusMachines'
import { enforceStatusTransition } from '../../../hooks/enforceStatusTransition'

export const enforceEpisodeStatus = enforceStatusTransition({ machine: episodeStatusMachine, path: ['status'], arbitrate: true })
