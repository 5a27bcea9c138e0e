import { Types } from 'mongoose'
import { describe, expect, it } from 'vitest'

import { sumUsage, taskMetricsPipeline, totalsFromRows } from '../../../src/services/projectOverview'

/**
 * The overview's usage aggregation as built for each engine (pure: no database). MongoDB sums on the server;
 * FerretDB v1 groups by the metric values and the rows are multiplied out here. Both shapes of the same tasks must
 * give the same figures per task type and per episode.
 */
const projectId = new Types.ObjectId().toHexString()
const episode = new Types.ObjectId()

describe('taskMetricsPipeline', () => {
  it('matches the project by ObjectId and groups per status, task type and episode', () => {
    for (const engine of ['mongodb', 'ferretdb'] as const) {
      const [match, group] = taskMetricsPipeline({ projectId, engine })
      expect(match).toEqual({ $match: { project: new Types.ObjectId(projectId) } })
      expect((group.$group as { _id: object })._id).toMatchObject({ status: '$status', taskType: '$taskType', episode: '$episode' })
    }
  })

  it('sums metrics on the server for MongoDB, and keys on their values for FerretDB (no dotted path inside $sum)', () => {
    const [, mongo] = taskMetricsPipeline({ projectId, engine: 'mongodb' })
    expect(mongo.$group).toMatchObject({ count: { $sum: 1 }, cost: { $sum: '$output.metrics.cost' }, processingTime: { $sum: '$output.metrics.processingTime' } })
    const [, ferret] = taskMetricsPipeline({ projectId, engine: 'ferretdb' })
    expect(ferret.$group).toEqual({
      _id: {
        status: '$status',
        taskType: '$taskType',
        episode: '$episode',
        cost: '$output.metrics.cost',
        tokensUsed: '$output.metrics.tokensUsed',
        processingTime: '$output.metrics.processingTime',
      },
      count: { $sum: 1 },
    })
    expect(JSON.stringify(ferret)).not.toMatch(/\$sum":"\$output/)
  })

  it('gives the same usage per task type and per episode from either engine’s rows', () => {
    // Three image tasks of the episode (two alike), one script task without episode and without metrics.
    const mongoRows = [
      { _id: { status: 'completed', taskType: 'image_generation', episode }, count: 3, cost: 0.75, tokensUsed: 30, processingTime: 4.5 },
      { _id: { status: 'queued', taskType: 'script_generation', episode: null }, count: 1, cost: 0, tokensUsed: 0, processingTime: 0 },
    ]
    const ferretRows = [
      { _id: { status: 'completed', taskType: 'image_generation', episode, cost: 0.25, tokensUsed: 10, processingTime: 1.5 }, count: 2 },
      { _id: { status: 'completed', taskType: 'image_generation', episode, cost: 0.25, tokensUsed: 10, processingTime: 1.5 }, count: 1 },
      { _id: { status: 'queued', taskType: 'script_generation', episode: null, cost: null, tokensUsed: null, processingTime: null }, count: 1 },
    ]
    const fromMongo = sumUsage(totalsFromRows('mongodb', mongoRows))
    const fromFerret = sumUsage(totalsFromRows('ferretdb', ferretRows))
    expect(fromFerret).toEqual(fromMongo)
    expect(fromMongo).toEqual({
      total: { tasks: 4, cost: 0.75, tokensUsed: 30, processingTime: 4.5 },
      byTaskType: [
        { taskType: 'image_generation', tasks: 3, cost: 0.75, tokensUsed: 30, processingTime: 4.5 },
        { taskType: 'script_generation', tasks: 1, cost: 0, tokensUsed: 0, processingTime: 0 },
      ],
      byEpisode: [
        { episode: null, tasks: 1, cost: 0, tokensUsed: 0, processingTime: 0 },
        { episode: episode.toHexString(), tasks: 3, cost: 0.75, tokensUsed: 30, processingTime: 4.5 },
      ],
    })
  })
})
