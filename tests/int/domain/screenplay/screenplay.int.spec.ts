import { describe, expect, it } from 'vitest'

import { TextInputError } from '@/errors'
import {
  decodeUtf8,
  type ExportScreenplay,
  readScreenplay,
  type Screenplay,
  speakers,
  writeScreenplay,
} from '@/domain/screenplay'
import { screenplayFixture } from '../../../helpers/screenplays'

const withoutLines = (screenplay: Screenplay) => screenplay.scenes.map(({ line: _line, ...scene }) => scene)

/** What the app stores of a scene, as the exporters read it back. */
const stored = (screenplay: Screenplay): ExportScreenplay => ({
  title: screenplay.title,
  logline: screenplay.logline,
  scenes: screenplay.scenes.map((scene) => ({ title: scene.heading, ...scene })),
})

const refusal = (read: () => unknown): TextInputError => {
  try {
    read()
  } catch (err) {
    if (err instanceof TextInputError) return err
    throw err
  }
  throw new Error('expected a TextInputError')
}

describe('screenplay mapping', () => {
  const fountain = readScreenplay('fountain', screenplayFixture('the-last-ferry.fountain'))
  const fdx = readScreenplay('fdx', screenplayFixture('the-last-ferry.fdx'))

  it('maps headings to location and every time of day, action, cues without extensions, parentheticals to emotion', () => {
    expect(fountain.title).toBe('The Last Ferry')
    expect(fountain.logline).toMatch(/^A ferry pilot/)
    expect(fountain.scenes.map((scene) => [scene.location, scene.timeOfDay])).toEqual([
      ['EXT. HARBOUR PIER', 'dawn'],
      ['INT. FERRY WHEELHOUSE', 'day'],
      ['EXT. FERRY DECK', 'dusk'],
      ['INT. CABIN BELOW DECK', 'night'],
      ['EXT. OPEN WATER', 'night'],
    ])
    expect(fountain.scenes[4].heading).toBe('EXT. OPEN WATER - NIGHT - CONTINUOUS')
    const [pier, wheelhouse, deck, cabin] = fountain.scenes
    // Notes and transitions are not action; two action paragraphs stay two paragraphs.
    expect(pier.action).toBe(
      'Gulls argue over a crate of bruised apples. Fog sits on the water like wet wool.\n\nROSA KLEIN, sixties, rain jacket older than most of the crew, unties the last rope.',
    )
    expect(pier.dialogue).toEqual([{ character: 'ROSA', lines: 'Forty years. One more crossing.', emotion: 'to herself' }])
    // (O.S.) and (CONT'D) are stripped from the cue.
    expect(wheelhouse.dialogue.map((line) => line.character)).toEqual(['TEO', 'ROSA', 'TEO', 'ROSA'])
    expect(wheelhouse.dialogue[3]).toEqual({ character: 'ROSA', lines: 'I did say that.', emotion: 'beat' })
    // Dual dialogue: both sides, left then right; (V.O.) stripped.
    expect(deck.dialogue.map((line) => line.character)).toEqual(['TEO', 'ROSA', 'MARGUERITE'])
    expect(cabin.dialogue[0]).toEqual({ character: 'ELI', lines: 'I thought nobody would come.\nI almost went home.', emotion: 'shivering' })
    expect(speakers(fountain)).toEqual(['ROSA', 'TEO', 'MARGUERITE', 'ELI'])
  })

  it('reads the Final Draft equivalent into the same scenes', () => {
    expect(fdx.title).toBe('The Last Ferry')
    expect(withoutLines(fdx)).toEqual(withoutLines(fountain))
  })

  it.each(['fountain', 'fdx'] as const)('round trip: %s → export → read gives the same scenes', (format) => {
    const exported = writeScreenplay(format, stored(fountain))
    const again = readScreenplay(format, exported)
    expect(withoutLines(again)).toEqual(withoutLines(fountain))
    expect(again.title).toBe('The Last Ferry')
    // And once more: the export of the re-read is the same text.
    expect(writeScreenplay(format, stored(again))).toBe(exported)
  })

  it('exports an edited location and time of day (the title no longer matches them)', () => {
    const edited = stored(fountain)
    edited.scenes[0] = { ...edited.scenes[0], location: 'EXT. NORTH PIER', timeOfDay: 'dusk' }
    const again = readScreenplay('fountain', writeScreenplay('fountain', edited))
    expect(again.scenes[0]).toMatchObject({ heading: 'EXT. NORTH PIER - DUSK', location: 'EXT. NORTH PIER', timeOfDay: 'dusk' })
  })

  it('forces action that Fountain would read as a cue or heading, and headings it would read as action', () => {
    const screenplay: ExportScreenplay = {
      title: null,
      logline: null,
      scenes: [{ location: 'THE ROOFTOP', timeOfDay: 'night', action: 'BANG!\nThe door flies open.\n\nINT. IS NOT A HEADING HERE', dialogue: [] }],
    }
    const again = readScreenplay('fountain', writeScreenplay('fountain', screenplay))
    expect(again.scenes).toHaveLength(1)
    expect(again.scenes[0]).toMatchObject({ location: 'THE ROOFTOP', timeOfDay: 'night', action: 'BANG!\nThe door flies open.\n\nINT. IS NOT A HEADING HERE' })
  })

  it('refuses dialogue before any scene heading, with its line', () => {
    const err = refusal(() => readScreenplay('fountain', 'Title: X\n\nMARA\nHello there.\n\nINT. ROOM - DAY\n'))
    expect(err.status).toBe(400)
    expect(err.line).toBe(3)
    expect(err.message).toMatch(/scene heading/)
  })

  it('refuses a Final Draft dialogue paragraph with no character cue, with its line', () => {
    const text = screenplayFixture('the-last-ferry.fdx').replace(
      '<Paragraph Type="Action">\n      <Text>The ferry turns',
      '<Paragraph Type="Dialogue">\n      <Text>Nobody said this.</Text>\n    </Paragraph>\n    <Paragraph Type="Action">\n      <Text>The ferry turns',
    )
    const err = refusal(() => readScreenplay('fdx', text))
    const rows = text.split('\n')
    const line = rows.findIndex((row, index) => row.includes('<Paragraph Type="Dialogue">') && rows[index + 1].includes('Nobody said')) + 1
    expect(line).toBeGreaterThan(1)
    expect(err.line).toBe(line)
    expect(err.message).toMatch(/character cue before this dialogue/)
  })

  it('refuses XML that is not Final Draft, malformed XML (with the parser line) and a DOCTYPE', () => {
    expect(refusal(() => readScreenplay('fdx', '<?xml version="1.0"?>\n<html><body/></html>')).message).toMatch(/Final Draft/)
    expect(refusal(() => readScreenplay('fdx', '<FinalDraft>\n<Content>\n<Paragraph Type="Action">\n</FinalDraft>')).line).toBeGreaterThan(1)
    expect(refusal(() => readScreenplay('fdx', '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<FinalDraft/>')).line).toBe(2)
  })

  it('refuses a text with no scene heading', () => {
    expect(refusal(() => readScreenplay('fountain', 'Just some words.\n')).message).toMatch(/Line 1: a scene heading/)
  })

  it('refuses text in another encoding with the line of the first bad byte', () => {
    const latin1 = Buffer.from('INT. CAFÉ - DAY\n\nA man.\n\nPIERRE\nCafé, s\u2019il vous pla\u00eet.\n', 'latin1')
    // 'É' alone as one Latin-1 byte is not UTF-8: line 1.
    expect(refusal(() => decodeUtf8(latin1)).line).toBe(1)
    const later = Buffer.concat([Buffer.from('INT. ROOM - DAY\n\nLine two.\n', 'utf8'), Buffer.from([0xe9, 0x0a])])
    expect(refusal(() => decodeUtf8(later)).line).toBe(4)
    expect(refusal(() => decodeUtf8(Buffer.from('\ufeffINT. ROOM', 'utf16le'))).message).toMatch(/UTF-16/)
    expect(decodeUtf8(Buffer.from('\ufeffINT. CAFÉ - DAY', 'utf8'))).toBe('INT. CAFÉ - DAY')
  })
})
