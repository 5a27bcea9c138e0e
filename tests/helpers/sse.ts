/** A Server-Sent Events client over fetch (headers EventSource cannot send: Authorization, Last-Event-ID). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of whatever JSON the server sent
type Json = any

export type SseEvent = { id?: string; event: string; data: Json }

export type SseStream = {
  status: number
  headers: Headers
  /** The JSON body of a refusal (the stream never started). */
  body?: Json
  /** Comments (`: heartbeat …`) seen so far. */
  comments: string[]
  /** Resolves with the next event, or rejects after `timeoutMs`. */
  next: (timeoutMs?: number) => Promise<SseEvent>
  /** The next `count` events, in order. */
  take: (count: number, timeoutMs?: number) => Promise<SseEvent[]>
  close: () => void
}

export async function openSse(url: string, { token, headers = {} }: { token?: string; headers?: Record<string, string> } = {}): Promise<SseStream> {
  const controller = new AbortController()
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `JWT ${token}` } : {}), ...headers },
    signal: controller.signal,
  })
  const comments: string[] = []
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const text = await response.text()
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      comments,
      next: () => Promise.reject(new Error(`no stream: ${response.status} ${text}`)),
      take: () => Promise.reject(new Error(`no stream: ${response.status} ${text}`)),
      close: () => {},
    }
  }
  const queue: SseEvent[] = []
  const waiters: (() => void)[] = []
  let ended: Error | undefined
  const wake = () => waiters.splice(0).forEach((resolve) => resolve())
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let boundary: number
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary)
          buffer = buffer.slice(boundary + 2)
          const event: SseEvent = { event: 'message', data: undefined }
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('id: ')) event.id = line.slice(4)
            else if (line.startsWith('event: ')) event.event = line.slice(7)
            else if (line.startsWith('data: ')) data.push(line.slice(6))
          }
          if (data.length > 0) {
            event.data = JSON.parse(data.join('\n'))
            queue.push(event)
          }
        }
        wake()
      }
      ended = new Error('the stream ended')
    } catch (err) {
      ended = err instanceof Error ? err : new Error(String(err))
    }
    wake()
  })()
  const next = async (timeoutMs = 10_000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs
    while (queue.length === 0) {
      if (ended) throw ended
      if (Date.now() > deadline) throw new Error(`no event within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 100)
      })
    }
    return queue.shift()!
  }
  return {
    status: response.status,
    headers: response.headers,
    comments,
    next,
    take: async (count, timeoutMs) => {
      const events: SseEvent[] = []
      for (let i = 0; i < count; i++) events.push(await next(timeoutMs))
      return events
    },
    close: () => controller.abort(),
  }
}
