import type { FieldAccess } from 'payload'

/**
 * Field-level: values only the task engine sets (worker.startedAt, worker.heartbeat, completedAt,
 * output.metrics.processingTime, the lease). No client writes them, admins included: the engine writes through
 * the driver (src/queue), and a value sent through REST, GraphQL or the admin is dropped.
 */
export const isEngineOwnedField: FieldAccess = () => false
