import { readFileSync } from 'node:fs'
import { readScreenplay, writeScreenplay } from '../src/domain/screenplay'
const f = readScreenplay('fountain', readFileSync('tests/fixtures/screenplays/the-last-ferry.fountain', 'utf8'))
const x = readScreenplay('fdx', readFileSync('tests/fixtures/screenplays/the-last-ferry.fdx', 'utf8'))
console.log(JSON.stringify(f, null, 1))
console.log('same', JSON.stringify(f.scenes.map(({line, ...s}) => s)) === JSON.stringify(x.scenes.map(({line, ...s}) => s)))
const exp = writeScreenplay('fountain', { ...f, scenes: f.scenes.map(s => ({ title: s.heading, location: s.location, timeOfDay: s.timeOfDay, action: s.action, dialogue: s.dialogue })) })
console.log(exp)
const back = readScreenplay('fountain', exp)
console.log('rt', JSON.stringify(back.scenes.map(({line, ...s}) => s)) === JSON.stringify(f.scenes.map(({line, ...s}) => s)))
const expx = writeScreenplay('fdx', { ...f, scenes: f.scenes.map(s => ({ title: s.heading, location: s.location, timeOfDay: s.timeOfDay, action: s.action, dialogue: s.dialogue })) })
const backx = readScreenplay('fdx', expx)
console.log('rtx', JSON.stringify(backx.scenes.map(({line, ...s}) => s)) === JSON.stringify(f.scenes.map(({line, ...s}) => s)), backx.title)
