/**
 * What a frontend of the platform asks GraphQL for, page by page (docs/API.md, "Query limits" lists their costs):
 * the guard must let every one through with room to spare. Used by the int test of the guard and over HTTP.
 */
export const realisticFrontendQueries: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  dashboard: {
    query: `query Dashboard {
      meUser { user { id email name role } }
      Projects(limit: 20, sort: "-updatedAt") {
        docs { id title status genre updatedAt description createdBy { id name email } collaborators { id name } progress { currentPhase overallProgress } }
        totalDocs hasNextPage page
      }
      queued: countTasks(where: { status: { equals: queued } }) { totalDocs }
      failed: countTasks(where: { status: { equals: failed } }) { totalDocs }
    }`,
  },
  projectPage: {
    query: `query ProjectPage($id: String!, $project: JSON) {
      Project(id: $id) { id title description status genre targetAudience episodeCount projectSettings { aspectRatio episodeDuration qualityTier } createdBy { id name } collaborators { id name email } }
      Episodes(where: { project: { equals: $project } }, limit: 50, sort: "episodeNumber") { docs { id title episodeNumber status synopsis { logline } updatedAt } totalDocs }
      Characters(where: { project: { equals: $project } }, limit: 50) { docs { id name description profile { age gender } visualDesign { finalDesign { id url } } } totalDocs }
      allMedia(where: { project: { equals: $project } }, limit: 24, sort: "-createdAt") { docs { id url alt mediaType status filename width height thumbnailURL } totalDocs hasNextPage }
    }`,
    variables: { id: '000000000000000000000000', project: '000000000000000000000000' },
  },
  sceneTable: {
    query: `query Scenes($episode: JSON) {
      Scenes(where: { episode: { equals: $episode } }, limit: 100) {
        docs { id title sceneNumber updatedAt createdAt episode { id title } project { id title } }
        totalDocs hasNextPage page totalPages
      }
    }`,
    variables: { episode: '000000000000000000000000' },
  },
  taskMonitor: {
    query: `query Tasks {
      Tasks(where: { OR: [{ status: { equals: queued } }, { status: { equals: processing } }] }, limit: 50, sort: "-createdAt") {
        docs { id taskType status priority createdAt updatedAt project { id title } }
        totalDocs hasNextPage
      }
    }`,
  },
  editProject: {
    query: `mutation Rename($id: String!, $title: String!) { updateProject(id: $id, data: { title: $title }) { id title updatedAt } }`,
    variables: { id: '000000000000000000000000', title: 'New title' },
  },
}
