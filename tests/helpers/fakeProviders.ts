import { createServer, type IncomingMessage, type Server } from 'node:http'

export type RecordedRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: unknown }

/** An answer the server gives once, before its normal ones (to script 429s, 5xx, slowness). */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }

/**
 * One local HTTP server speaking the request/response shapes of fal (POST /<model>: image models answer `images`,
 * video models — text-to-video and image-to-video — answer `video`), OpenRouter (POST /chat/completions),
 * ElevenLabs (POST /v1/text-to-speech/<voice>, POST /v1/music) and Jina (POST /v1/embeddings), plus GET
 * /files/<name> for result files. Records every request. Real files may be given for the results (an image, a
 * video, speech audio); otherwise they are placeholder bytes.
 */
export async function startFakeProviders({ imageFile, videoFile, speechFile }: { imageFile?: Buffer; videoFile?: Buffer; speechFile?: Buffer } = {}) {
  const requests: RecordedRequest[] = []
  const script: ScriptedAnswer[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const body = raw ? JSON.parse(raw) : undefined
    const path = req.url ?? '/'
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body })
    const scripted = script.shift()
    if (scripted) {
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs))
      if (!res.destroyed) res.writeHead(scripted.status, scripted.headers).end(scripted.body ?? '')
      return
    }
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))
    if (path.startsWith('/files/')) {
      const isImage = path.endsWith('.png')
      const file = isImage ? imageFile : videoFile
      res.writeHead(200, { 'content-type': isImage ? 'image/png' : 'video/mp4' }).end(file ?? Buffer.from(`file:${path}`))
    } else if (path === '/chat/completions') {
      const last = body.messages.at(-1).content
      json({
        id: 'gen-1',
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: `echo: ${last}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, cost: 0.00042 },
      })
    } else if (path.startsWith('/v1/text-to-speech/') || path.startsWith('/v1/music')) {
      res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(speechFile ?? Buffer.from(`mp3:${body.text ?? body.prompt}`))
    } else if (path === '/v1/embeddings') {
      json({
        model: body.model,
        data: body.input.map((_: unknown, index: number) => ({ index, embedding: Array.from({ length: body.dimensions }, (__, i) => (i + index) / 1000) })),
        usage: { total_tokens: 7 * body.input.length },
      })
    } else if (path.includes('video')) {
      json({ video: { url: `${url}/files/clip.mp4`, content_type: 'video/mp4' } })
    } else {
      json({ images: [{ url: `${url}/files/image.png`, content_type: 'image/png', width: 64, height: 64 }], seed: 42 })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return {
    url,
    requests,
    /** Answers to give before the normal ones, in order. */
    script: (...answers: ScriptedAnswer[]) => script.push(...answers),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
