import { XMLParser, XMLValidator } from 'fast-xml-parser'

import { TextInputError } from '../../errors'
import { cueOf } from './characterNames'
import { headingOf } from './headings'
import { createScreenplayBuilder } from './screenplayBuilder'
import { normalizeLineEnds, paragraphsOf } from './text'
import type { ExportScreenplay, Screenplay } from './types'

type XmlNode = { [tag: string]: XmlNode[] | string | Record<string, string> | undefined; ':@'?: Record<string, string> }

const notFinalDraft = 'a Final Draft document (<FinalDraft DocumentType="Script"> with <Content>)'

/**
 * Reads a Final Draft `.fdx` file (fast-xml-parser parses the XML; the mapping to scenes is
 * createScreenplayBuilder's, as for Fountain). Malformed XML answers the parser's line; a document type
 * declaration is refused (no entity expansion from uploads); any other XML than Final Draft is refused at line 1.
 */
export function readFdx(source: string): Screenplay {
  const text = normalizeLineEnds(source)
  const doctype = text.search(/<!DOCTYPE|<!ENTITY/i)
  if (doctype >= 0) throw new TextInputError({ line: lineAt(text, doctype), expected: `${notFinalDraft}, without a DOCTYPE` })
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw new TextInputError({ line: valid.err.line, expected: `well-formed XML (${valid.err.msg})` })
  const nodes = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
  }).parse(text) as XmlNode[]
  const root = nodes.find((node) => 'FinalDraft' in node)
  const content = root && children(root, 'FinalDraft').find((node) => 'Content' in node)
  if (!root || !content) throw new TextInputError({ line: 1, expected: notFinalDraft })

  // Each <Paragraph> in document order, with its line: the parser gives none, the source does.
  const paragraphLines = [...text.matchAll(/<Paragraph[\s>/]/g)].map((match) => lineAt(text, match.index))
  const order = new Map<XmlNode, number>()
  const number = (node: XmlNode) => {
    for (const [tag, value] of Object.entries(node)) {
      if (tag === ':@' || !Array.isArray(value)) continue
      if (tag === 'Paragraph') order.set(node, order.size)
      value.forEach(number)
    }
  }
  nodes.forEach(number)
  const lineOf = (paragraph: XmlNode) => paragraphLines[order.get(paragraph) ?? 0] ?? 1

  const builder = createScreenplayBuilder()
  const walk = (paragraphs: XmlNode[]) => {
    for (const paragraph of paragraphs) {
      if (!('Paragraph' in paragraph)) continue
      const body = children(paragraph, 'Paragraph')
      const dual = body.find((node) => 'DualDialogue' in node)
      if (dual) {
        walk(children(dual, 'DualDialogue'))
        continue
      }
      const type = paragraph[':@']?.Type ?? 'Action'
      const value = textOf(body)
      const line = lineOf(paragraph)
      if (type === 'Scene Heading') builder.heading(value, line)
      else if (type === 'Action' || type === 'General' || type === 'Shot') builder.action(value, line)
      else if (type === 'Character') builder.cue(value, line)
      else if (type === 'Parenthetical') builder.parenthetical(value, line)
      else if (type === 'Dialogue') builder.dialogue(value, line)
      else builder.other()
    }
  }
  walk(children(content, 'Content'))

  const titlePage = children(root, 'FinalDraft').find((node) => 'TitlePage' in node)
  const titleContent = titlePage ? children(titlePage, 'TitlePage').find((node) => 'Content' in node) : undefined
  const titleLines = titleContent
    ? children(titleContent, 'Content')
        .filter((node) => 'Paragraph' in node)
        .map((node) => textOf(children(node, 'Paragraph')).trim())
        .filter(Boolean)
    : []
  return builder.finish({ title: titleLines[0] ?? null, logline: null })
}

const children = (node: XmlNode, tag: string): XmlNode[] => (Array.isArray(node[tag]) ? (node[tag] as XmlNode[]) : [])

/** The text of a paragraph: its <Text> runs joined (styles are runs of one line). */
const textOf = (body: XmlNode[]): string =>
  body
    .filter((node) => 'Text' in node)
    .map((node) => children(node, 'Text').map((run) => (typeof run['#text'] === 'string' ? run['#text'] : '')).join(''))
    .join('')

const lineAt = (text: string, offset: number) => 1 + (text.slice(0, offset).match(/\n/g)?.length ?? 0)

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * Writes the episode as Final Draft XML: a title page with the title, then per scene a Scene Heading, one Action
 * paragraph per action paragraph, and Character / Parenthetical / Dialogue paragraphs per line.
 */
export function writeFdx(screenplay: ExportScreenplay): string {
  const paragraph = (type: string, text: string) =>
    `    <Paragraph Type="${type}">\n      <Text>${escapeXml(text)}</Text>\n    </Paragraph>`
  const body: string[] = []
  screenplay.scenes.forEach((scene, index) => {
    body.push(paragraph('Scene Heading', headingOf(scene, index + 1)))
    for (const text of paragraphsOf(scene.action)) body.push(paragraph('Action', text))
    for (const line of scene.dialogue) {
      const spoken = paragraphsOf(line.lines).join('\n')
      if (!spoken) continue
      if (!line.character) {
        body.push(paragraph('Action', spoken))
        continue
      }
      body.push(paragraph('Character', cueOf(line.character).replace(/^@/, '')))
      if (line.emotion?.trim()) body.push(paragraph('Parenthetical', `(${line.emotion.trim()})`))
      body.push(paragraph('Dialogue', spoken))
    }
  })
  const title = screenplay.title
    ? ['  <TitlePage>', '    <Content>', `  ${paragraph('Title', screenplay.title).replace(/\n/g, '\n  ')}`, '    </Content>', '  </TitlePage>']
    : []
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
    '<FinalDraft DocumentType="Script" Template="No" Version="5">',
    '  <Content>',
    ...body,
    '  </Content>',
    ...title,
    '</FinalDraft>',
    '',
  ].join('\n')
}
