import type { RouteContract } from '@/http/openapi/routeContract'

import { contract as projects } from './projects/contract'
import { contract as projectsId } from './projects/[id]/contract'
import { contract as projectsIdOverview } from './projects/[id]/overview/contract'
import { contract as projectsIdEvents } from './projects/[id]/events/contract'
import { contract as projectsIdMedia } from './projects/[id]/media/contract'
import { contract as projectsIdCollaborators } from './projects/[id]/collaborators/contract'
import { contract as projectsIdInvitations } from './projects/[id]/invitations/contract'
import { contract as projectsIdInvitationsInvitationId } from './projects/[id]/invitations/[invitationId]/contract'
import { contract as projectsIdTransfer } from './projects/[id]/transfer/contract'
import { contract as invitations } from './invitations/contract'
import { contract as invitationsIdAccept } from './invitations/[id]/accept/contract'
import { contract as invitationsIdDecline } from './invitations/[id]/decline/contract'
import { contract as accountEmailConfirm } from './account/email/confirm/contract'
import { contract as episodesIdScenes } from './episodes/[id]/scenes/contract'
import { contract as episodesIdScenesOrder } from './episodes/[id]/scenes/order/contract'
import { contract as episodesIdProduce } from './episodes/[id]/produce/contract'
import { contract as episodesIdAssemble } from './episodes/[id]/assemble/contract'
import { contract as episodesIdImport } from './episodes/[id]/import/contract'
import { contract as episodesIdScript } from './episodes/[id]/script/contract'
import { contract as episodesIdScenesCsv } from './episodes/[id]/scenes.csv/contract'
import { contract as projectsIdScenesCsv } from './projects/[id]/scenes.csv/contract'
import { contract as scenesIdReview } from './scenes/[id]/review/contract'
import { contract as scenesIdTakes } from './scenes/[id]/takes/contract'
import { contract as auditLog } from './audit-log/contract'
import { contract as tasks } from './tasks/contract'
import { contract as promptTemplatesIdRender } from './prompt-templates/[id]/render/contract'
import { contract as promptTemplatesIdExecute } from './prompt-templates/[id]/execute/contract'
import { contract as projectsIdPromptExecutions } from './projects/[id]/prompt-executions/contract'
import { contract as sessions } from './sessions/contract'
import { contract as sessionsId } from './sessions/[id]/contract'
import { contract as sessionsIdMessages } from './sessions/[id]/messages/contract'
import { contract as sessionsIdChoices } from './sessions/[id]/choices/contract'
import { contract as sessionsIdChoicesChoiceId } from './sessions/[id]/choices/[choiceId]/contract'
import { contract as tasksClaim } from './tasks/claim/contract'
import { contract as tasksIdHeartbeat } from './tasks/[id]/heartbeat/contract'
import { contract as tasksIdComplete } from './tasks/[id]/complete/contract'
import { contract as tasksIdFail } from './tasks/[id]/fail/contract'
import { contract as tasksIdCancel } from './tasks/[id]/cancel/contract'
import { contract as tasksIdRetry } from './tasks/[id]/retry/contract'
import { contract as search } from './search/contract'
import { contract as mediaSimilar } from './media/similar/contract'
import { contract as openapiJson } from './openapi.json/contract'

/**
 * Every /api/v1 route's contract, in the order the OpenAPI document lists them (GET /api/v1/openapi.json serves the
 * document assembled from this list). A new route adds its `contract.ts` here (docs/API.md, "Route contracts");
 * tests/int/http/openapi/routeContracts.int.spec.ts fails for a route file missing from it.
 */
export const routeContracts: RouteContract[] = [
  projects,
  projectsId,
  projectsIdOverview,
  projectsIdEvents,
  projectsIdMedia,
  projectsIdCollaborators,
  projectsIdInvitations,
  projectsIdInvitationsInvitationId,
  projectsIdTransfer,
  invitations,
  invitationsIdAccept,
  invitationsIdDecline,
  accountEmailConfirm,
  episodesIdScenes,
  episodesIdScenesOrder,
  episodesIdProduce,
  episodesIdAssemble,
  episodesIdImport,
  episodesIdScript,
  episodesIdScenesCsv,
  projectsIdScenesCsv,
  scenesIdReview,
  scenesIdTakes,
  auditLog,
  tasks,
  promptTemplatesIdRender,
  promptTemplatesIdExecute,
  projectsIdPromptExecutions,
  sessions,
  sessionsId,
  sessionsIdMessages,
  sessionsIdChoices,
  sessionsIdChoicesChoiceId,
  tasksClaim,
  tasksIdHeartbeat,
  tasksIdComplete,
  tasksIdFail,
  tasksIdCancel,
  tasksIdRetry,
  search,
  mediaSimilar,
  openapiJson,
]
