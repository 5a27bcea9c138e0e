/** The offline provider of AI_PROVIDER=local (docs/QUEUE.md): real, small, deterministic media with no network. */
export { localMusic, localSpeech, spokenSeconds, wavOf } from './localAudio'
export { actionTextOf, localChatCompletion, valueForSchema } from './localChat'
export { localEmbedding } from './localEmbedding'
export { localImage } from './localImage'
export { type AspectRatio, aspectRatios, frameSize, LOCAL_PROVIDER, localModel, sentencesOf, usesLocalProvider } from './localProvider'
export { LOCAL_FPS, localVideo } from './localVideo'
