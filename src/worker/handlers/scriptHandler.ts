import { createOpenRouterClient } from '../../providers'
import { localChatCompletion, usesLocalProvider } from '../../providers/local'
import { parameters, requireString, type TaskHandler } from '../taskHandler'

/**
 * Scripts and prompts on OpenRouter: input.parameters { prompt, system?, model? } → result.text with token use and
 * cost. AI_PROVIDER=local answers with the local chat model (deterministic text from the prompt, no cost).
 */
export const scriptHandler: TaskHandler = {
  taskType: 'script_generation',
  async run({ task, context }) {
    const prompt = requireString(task, 'prompt')
    const { system, model = 'anthropic/claude-sonnet-4' } = parameters(task) as { system?: string; model?: string }
    context.reportProgress({ percentage: 10, currentStep: `writing with ${model}` })
    const completion = usesLocalProvider()
      ? localChatCompletion({ prompt })
      : await createOpenRouterClient().chatCompletion({
          model,
          messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: prompt }],
        })
    return {
      result: { text: completion.content, model: completion.model, finishReason: completion.finishReason },
      metrics: { tokensUsed: completion.usage.totalTokens, cost: completion.cost },
    }
  },
}
