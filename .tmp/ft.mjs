import { Fountain } from 'fountain-js'
const src = `Title: The Lighthouse Keeper
Credit: written by
Author: Test

INT. LIGHTHOUSE - NIGHT

The lamp turns. **Bold** text.

MARA (V.O.)
(quietly)
Is anyone there?

TOM (CONT'D) ^
Only me.

[[a note here]]

CUT TO:

EXT. CLIFF - DAWN

BRICK
Hi.

STEEL ^
Hello.
`
const out = new Fountain().parse(src, true)
console.log(JSON.stringify(out.tokens, null, 1), out.title)
