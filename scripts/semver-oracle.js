#!/usr/bin/env node
// Writes node-semver's answers (strict mode) into the fixtures that MaxhubCore's tests read, so that
// maxhub's Version and VersionRange are checked against the reference implementation without node:
//
//   Tests/MaxhubCoreTests/Fixtures/semver/oracle.json    every range below: is it valid, its normalized
//       form (with and without includePrerelease), which of the versions below satisfy it (with and
//       without includePrerelease), and maxSatisfying over them.
//   Tests/MaxhubCoreTests/Fixtures/semver/versions.json  versions node and maxhub accept, their precedence
//       (semver.compare as a rank), and strings maxhub refuses as versions.
//
// The range corpus is hand-written (every operator, partials, x-ranges, hyphens, ||, whitespace, garbage)
// plus a seeded random corpus, so a run is reproducible. The script also holds maxhub's grammar pattern
// (VersionRange.grammarPattern; a test checks the two are equal) and refuses to write anything if the
// pattern and node-semver disagree on a range without a reason from the short `stricter` list below.
//
//   node scripts/semver-oracle.js [path/to/semver]     (node >= 16; npm's bundled semver is enough)
'use strict'
const path = require('path')
const fs = require('fs')
const semverPath = process.argv[2] || '/usr/lib/node_modules/npm/node_modules/semver'
const semver = require(semverPath)

// ---------------------------------------------------------------------------------------------------
// maxhub's grammar, as one regular expression (ICU, Python `re` and ECMAScript alike). Keep it equal to
// VersionRange.grammarPattern in Sources/MaxhubCore/VersionRange+GrammarPattern.swift.
const grammarPattern = (() => {
  const number = '(?:0|[1-9][0-9]{0,14})'
  const part = `(?:[xX*]|${number})`
  const prereleaseIdentifier = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)'
  const buildIdentifier = '[0-9A-Za-z-]+'
  const qualifier = `(?:-${prereleaseIdentifier}(?:\\.${prereleaseIdentifier})*)?` +
    `(?:\\+${buildIdentifier}(?:\\.${buildIdentifier})*)?`
  const partial = `v?${part}(?:\\.${part}(?:\\.${part}${qualifier})?)?`
  const operator = '(?:<=?|>=?|=|~>?|\\^)'
  const comparator = `(?:${operator}[ \\t]*)?${partial}`
  const hyphen = `${partial}[ \\t]+-[ \\t]+${partial}`
  const set = `[ \\t]*(?:${hyphen}|${comparator}(?:[ \\t]+${comparator})*)?[ \\t]*`
  return `^(?=[\\t -~]{0,256}(?![\\s\\S]))${set}(?:\\|\\|${set})*$`
})()
const grammar = new RegExp(grammarPattern)

// ---------------------------------------------------------------------------------------------------
// Where maxhub is deliberately stricter than node-semver: node accepts these only through an accident of
// its regexes (its `[v=\s]*` version prefix, `\s` meaning any Unicode space, a `*` stripped from anywhere,
// no length limit on a range, numbers checked only after desugaring). Each class has one reason; a range
// node accepts and the grammar refuses must fall in one of them, or the script stops.
const jsWhitespace = /[\n\r\v\f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/
const stricter = {
  prefix: {
    reason: 'node\'s [v=\\s]* version prefix takes a second "=" or "v", an "=" before a hyphen end, or spaces after "v"',
    // An "=" or "v" that is not a single operator or a single "v" right before a version.
    applies: s => /==|[<>]\s+=|[~^]\s*=|~>\s*=|v[\s=v]|=\s*v\s|\s-\s+[v\s]*=|(^|\|)\s*[v=]+[^|]*\s-\s|~\s+>/.test(s),
  },
  star: {
    reason: 'node strips "*" (with an optional <, > or = before it) from anywhere in a comparator, so "1.2.3*" is "1.2.3"',
    applies: s => /\*[^\s|.+-]|[0-9A-Za-z-]\*|(^|[^.])\*\.?[0-9]|\*-/.test(s),
  },
  whitespace: {
    reason: 'only space and tab separate parts; node\'s \\s also takes newlines, form feeds and Unicode spaces',
    applies: s => jsWhitespace.test(s),
  },
  long: {
    reason: 'a range is at most 256 characters (node limits each version to 256, not the range)',
    applies: s => s.length > 256,
  },
  bigNumber: {
    reason: 'version numbers in a range have at most 15 digits; node\'s limit, 2^53-1, depends on whether desugaring adds one',
    applies: s => /\d{16,}/.test(s.replace(/(?<=[0-9xX*])[-+][0-9A-Za-z.-]*/g, '')),
  },
}

// ---------------------------------------------------------------------------------------------------
// Versions every range is tested against: valid for node and for maxhub (SemVer 2.0.0, no "v").
// Equal-precedence pairs differing in build metadata check that maxSatisfying keeps the first one seen.
const versions = [
  '0.0.0-0', '0.0.0-alpha', '0.0.0', '0.0.1', '0.0.3-alpha', '0.0.3-beta', '0.0.3', '0.0.4-0', '0.0.4',
  '0.1.0-rc.1', '0.1.0', '0.2.0', '0.2.3-rc.1', '0.2.3', '0.2.4-rc.1', '0.2.5', '0.3.0-0', '0.3.0', '0.9.9',
  '1.0.0-0', '1.0.0-alpha', '1.0.0', '1.0.1', '1.1.9', '1.2.0-alpha', '1.2.0', '1.2.2', '1.2.3-0', '1.2.3-alpha',
  '1.2.3-alpha.1', '1.2.3-beta', '1.2.3-beta.1', '1.2.3-beta.2', '1.2.3-beta.11', '1.2.3-rc.1+build.9', '1.2.3',
  '1.2.3+build.7', '1.2.4-rc.1', '1.2.4', '1.2.99', '1.3.0-0', '1.3.0', '1.9.9', '2.0.0-0', '2.0.0-rc.1', '2.0.0',
  '2.3.3', '2.3.4-rc.1', '2.3.4', '2.3.4+meta', '2.3.5-0', '2.3.5', '2.4.0-alpha', '2.4.0', '3.0.0-beta', '3.0.0',
  '3.4.5-alpha.9', '3.4.5', '10.20.30+first', '10.20.30-rc.1', '10.20.30', '10.20.31', '999999999999999.0.0',
  '9007199254740991.9007199254740991.9007199254740991',
]

// Extra versions for precedence only (versions.json): the SemVer spec's examples and identifier corner cases.
const precedenceOnly = [
  '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0-alpha.1',
  '1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay', '1.0.0-0A.is.legal', '1.2.3----RC-SNAPSHOT.12.9.1--.12+788',
  '1.2.3----R-S.12.9.1--.12+meta', '1.0.0-rc.1+build.1', '2.0.0+build.1848', '1.1.2-prerelease+meta', '1.1.2+meta-valid',
  '1.0.0-a.1', '1.0.0-a.1.0', '1.0.0-a.a', '1.0.0-a.A', '1.0.0-a.-', '1.0.0-a.0', '1.0.0-1', '1.0.0-2', '1.0.0-10',
  '1.0.0-1a', '1.0.0-a1', '1.0.0-A', '1.0.0-Z', '1.0.0-a', '1.0.0-z', '1.0.0--', '1.0.0-0-', '1.0.0-9', '1.0.0-00a',
  '1.0.0-x.7.z.92', '1.0.0-alpha+001', '1.0.0+20130313144700', '1.0.0-beta+exp.sha.5114f85', '0.0.4', '1.2.3', '10.20.30',
  '99999.99999.99999', '1.0.0-9007199254740990', '1.0.0-9007199254740989', '0.0.0', '0.0.1-0', '0.1.0-0',
]

// Strings that are not SemVer 2.0.0 versions for maxhub. `node` records whether node-semver accepts
// them anyway (a "v" prefix, surrounding spaces); the tests compare only where node rejects.
const invalidVersions = [
  '', ' ', '1', '1.2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '00.0.0', '1.2.3-', '1.2.3-01', '1.2.3-00', '1.2.3-beta.01',
  '1.2.3+', '1.2.3-beta..1', '1.2.3+a..b', '1.2.3+.a', '1.2.3-.a', 'a.b.c', '1.2.3a', '-1.2.3', '1.2.3 -beta', '1.2.3-beta!',
  '1.2.3+build_1', '1.2.3-ü', '1.2.3+ü', 'ü.2.3', '1.2.x', '1.x', '*', 'x.x.x', '1.2.3-beta+', '1.2-SNAPSHOT',
  '1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788', '+invalid', '-invalid', '-invalid+invalid', 'alpha', '1.2.3.DEV',
  '99999999999999999.0.0', '9007199254740992.0.0', '0.9007199254740992.0', '0.0.9007199254740992', '1.2.3+a+b', '1.2.3-a+b+c',
  '=1.2.3', '>=1.2.3', '^1.2.3', '1.2.3 ', ' 1.2.3', '\t1.2.3', '1.2.3\n', 'v1.2.3', 'V1.2.3', 'v 1.2.3', '1..3', '.1.2.3',
  '1.2.3-' + 'a'.repeat(251), '1.2.3+' + 'b'.repeat(251), '１.２.３',
]

// ---------------------------------------------------------------------------------------------------
// Hand-written ranges.
const ranges = []
const add = (...items) => { for (const item of items) ranges.push({ range: item, origin: 'hand' }) }

const partials = [
  '1', '1.2', '1.2.3', '0', '0.0', '0.0.0', '0.0.3', '0.2', '0.2.3', '0.1.0', '1.0', '1.0.0', '2.0.0', '10.20.30',
  '1.2.3-beta.1', '1.2.3-beta.11', '0.0.3-alpha', '0.2.3-rc.1', '2.0.0-rc.1+build.5', '1.2.3+build', '0.0.0-0', '1.2.3-0',
  '1.x', '1.2.x', '1.X', '1.*', '1.x.x', '1.*.*', '1.2.*', '*', 'x', 'X', 'x.x', 'x.x.x', '*.*.*', '1.x.3', 'x.2.3',
  '0.x', '0.0.x', '0.x.x', '1.2.x-beta', '1.x.3-beta', '1.2.*+build', '*.*.*-beta', 'v1.2.3', 'v1.2', 'v1', 'v0.0.0', 'vx',
  'v*', 'v1.2.3-beta.2+b', '999999999999999', '999999999999999.999999999999999.999999999999999', '2.3.4-rc.1',
]
const operators = ['', '=', '<', '<=', '>', '>=', '~', '~>', '^']
for (const op of operators) for (const p of partials) add(op + p)
for (const op of operators.slice(1)) {
  for (const p of ['1.2.3', '1.2', '1', 'x', 'v1.2', '1.2.3-beta.2', '0.0']) add(`${op} ${p}`, `${op}  ${p}`, `${op}\t${p}`)
}

const ends = ['1', '1.2', '1.2.3', '1.2.3-beta', '0.0.0', 'x', '*', '1.x', '2', '2.3', '2.3.4', '2.3.4-rc.1', '2.3.4+b',
  'v2.3.4', '0.2.3', '1.2.3+build']
for (const a of ends) for (const b of ends) add(`${a} - ${b}`)
add('1.2.3  -  2.3.4', '1.2.3\t-\t2.3.4', ' 1.2.3 - 2.3.4 ', '1.2.3 - 2.3.4 || 3', '1 - 2 || 4 - 5', '1.2.3 - 2.3.4||>=5',
  'v0.0.0 - 1', '0.0.0+b - 1', '0.0.0-0 - 1', 'v0.0.0-0 - 1', '1.2.3+b - 2', '1.2.3-beta+b - 2', 'v1.2.3 - v2.3.4',
  '1.2.3 - 2.3.4-rc.1+b', '1.2.3-beta.1 - 1.2.3', '1.2.3 - 1.2.3', '2 - 1', '* - *', 'x - x', '1.x.3 - 2.x.4')

add(
  '', ' ', '  ', '\t', ' \t ', '>=1.2 <2', '>=1.16 <2', '>1.2.3 <=2.0.0-rc.1', '^1.2 || ^2', '~1.2.3 || >=3.0.0-beta',
  '1.2.3 - 2 || 3.x', '<1.2.3-beta.2 >=1.0.0', '>=1.2.3-alpha <1.2.3', '>=1.2.3-alpha <1.3', '^1.2.3-beta.1 || ^0.2.3-rc.1',
  '>=0.0.0 <1', '>=1.0.0-0 <1.0.1', '1.2.3 1.2.3', '1.2.3 1.2.3+b', '>=1 >=1.0.0', '>=1 >=1.0.0 >=v1.0.0', '^0.0.3-alpha',
  '>0.0.3-alpha <0.0.4', ' 1.2.3 ', '  ^1.2  ||  ~2.3  ', '1.2.3||2', '||1.2.3', '1.2.3 ||', '1.2.3 || ', '1 || || 2',
  '1 |||| 2', '||', ' || ', '^1 ^1.2', '<2 >1 <=1.9.9', '>1.2.3-beta.1 <1.2.3-beta.11', '1.2.3-beta.2 - 1.2.3',
  '~1.2.3-beta.1 <1.2.3', '>=1.2.3-beta.1 <=1.2.3-beta.11', '* || 1.2.3-beta.1', '>* ', '<*', '>=*', '<=*', '=*', '^*', '~*',
  '~>*', '^x.x.x', '>=1.x <=2.x', '>1.2.x', '<=1.2.x', '<1.2.x', '1.2.3-beta.1 || 1.2.3-beta.2', '^10.20', '~10',
  '>=0.0.0', '>=v0.0.0', '>= 0.0.0', '>=0.0.0+b', '>=0.0.0-0', '>=0.0.0-0+b', '^0.0.0', '~0.0.0', '^0.0.0-0', '~0.0.0-0',
  '>=0', '>=0.0', '>=0.0.x', '>=0.0.0 >=0.0.0', '* >=0.0.0', '>=0.0.0 || 1', '<0.0.0-0', '<0', '<0.0', '<x', '>x',
  '<0.0.0-0 || 1', '>* || <x', '1 <0.0.0-0', '<0.0.0-0 || *', '<0.0.0-0 1 2', '1 || <0.0.0-0 || 2', '* 1.2.3', '1.2.3 *',
  'x 1.2.3 x', '* || 1', '1 || *', '>=1.2.3 <1.2.3', '>1.2.3 <1.2.3', '=1.2.3 || =v1.2.3', '^0.1 ~0.1.2', '^0 <0.0.4',
  '>=1.2.3-rc.1+b <1.2.3+b', '<=1.2.3-0', '>1.2.3-0', '1.2.3-0 - 1.2.3-1', '^1.2.3-0', '~1.2.3-0', '>=2.3.4-rc.1 <2.3.5',
  '~>1.2.3', '~> 1.2.3', '~>1', '~>0.2', '^1.2.3 || ~1.2.4 || 1.2.5 - 1.2.6 || >=1.2.7 <1.2.8 || 1.2.x',
  '3.x || 2.3.x || 1.2.3-beta.x', '10.x', '10.20.x', '^10.20.30-rc.1', '>=999999999999999.0.0', '<=999999999999999',
  '^999999999999999', '~999999999999999.999999999999999', '>999999999999999.999999999999999.999999999999999',
  '1.2.3-99999999999999999999', '>=1.2.3-beta.99999999999999999999', '1.2.3-' + 'a'.repeat(200),
  // invalid
  '>=1.2 <<2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '1.2.3-', '^', '~>', '~', '1 - ', ' - 2', '-', '>=', '<', '=', '>',
  'a.b.c', '1.2.3a', '1.2-beta', '1-beta', '1.x-beta', '*-beta', '1 | 2', '|', '|1', '1|', '>= 1.2.3 - 2', '1.2.3 -beta',
  '1.2.3-01', 'ünïcode', '≥1.2', '1.2.3 – 2.3.4', '１.２.３', '1.2.3🙂', '~ >1.2 <', 'x1', '1..2', '.1.2', '1.2.', '1 2 - 3',
  '1.2.3 - 2.3.4 - 5', '<>1', '=>1', '=<1', '1,2', '*.*.*.*', '1.2.3+', '1.2.3-beta..1', '^1.2.3 ||| 2', '>=1.2.3 <2.0.0 |',
  'latest', 'v', 'V1.2.3', '1.2.3 - -2', '~~1', '^^1', '>>1', '<=>1', '<<1', '^~1', '~^1', '^>1', '<~1', '>^1', '1.2.3 - >2',
  '>1 - 2', '1 -2', '1- 2', '1-2', '1 --2', '1.2.3-beta+', '1.2.3+build..1', '1.2.3+bu_ild', 'x.01', '1.x.01', '1.01.x',
  '9007199254740992', '^9007199254740991', '>=1.2.3 <2.0.0 || latest', '1.2.3 || 2.3.4 || foo', '==1.2.3', '>==1.2.3',
  'vv1.2.3', 'v 1', '>=v 1', 'v1 - ', '1.2.3 -', '- 1.2.3', '1.2.3 - 2.3.4 -', '^1.2 <', '1.2.3>', '1.2.3<2', '>=1.2.3<2',
  '1.2.3||', '1.2.3 |', '1.2.3 || |', 'x.y.z', '1.2.3-ß', '1.2.3+ß', '\u0000', '1.2.3\u0000', '1.2\u00003',
  '*' + '.*'.repeat(2) + '.*', '1.2.3-' + 'a'.repeat(250),
  // node accepts these only by an accident; maxhub refuses them (see `stricter` above)
  '>==1.2', '^=1.2', '~=1.2', '~>=1', 'v=1.2', 'vv1', '=v=1', '> =1', '< = 1.2', '=1.2.3 - 2', '1.2.3 - =2', '=v1.2.3 - =2',
  '1 - v 2', 'v 1 - 2', '~ >1.2', '~ > 1.2', '1.2.3*', '*1.2.3', '>*1.2.3', '1.2*.3', '1.2.3-beta*', '^1.2*',
  '\u00a01.2.3', '1.2.3\n', '1.2.3\r\n', '1.2.3\u2003<2', '^1.2\n||\n^2', '1.2.3\u000b- 2',
  '1.2.3 '.repeat(50).trim(), '^1.2.3 || '.repeat(30) + '^4', '1.2.3-' + 'a'.repeat(251),
  '1000000000000000', '^1000000000000000', '>=9007199254740991', '9007199254740991.0.0', 'x.99999999999999999999',
  '1.x.1234567890123456', '1.2.3 - 9007199254740991', '~1.9007199254740990',
)

// ---------------------------------------------------------------------------------------------------
// Seeded random ranges: well-formed ones built from the grammar, mutated ones, and character soup.
let seed = 0x5eed2026
const random = () => { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = list => list[Math.floor(random() * list.length)]
const chance = p => random() < p

const randomPart = () => pick(['0', '1', '2', '3', '0', '1', '2', '10', '20', 'x', 'X', '*', '9'])
const randomIdentifier = () => pick(['alpha', 'beta', 'rc', '0', '1', '2', '11', 'a', 'b-c', '-', 'x'])
const randomPartial = () => {
  let text = (chance(0.1) ? 'v' : '') + randomPart()
  if (chance(0.8)) {
    text += '.' + randomPart()
    if (chance(0.75)) {
      text += '.' + randomPart()
      if (chance(0.3)) {
        text += '-' + randomIdentifier()
        while (chance(0.3)) text += '.' + randomIdentifier()
      }
      if (chance(0.1)) text += '+' + pick(['build', 'b.1', '001', 'x-y'])
    }
  }
  return text
}
const randomSpace = () => pick([' ', ' ', ' ', '  ', '\t'])
const randomSet = () => {
  if (chance(0.15)) return randomPartial() + randomSpace() + '-' + randomSpace() + randomPartial()
  const count = 1 + Math.floor(random() * 3)
  const items = []
  for (let i = 0; i < count; i++) {
    const op = pick(['', '', '=', '<', '<=', '>', '>=', '>=', '<', '~', '~>', '^', '^'])
    items.push(op + (op && chance(0.1) ? ' ' : '') + randomPartial())
  }
  return items.join(randomSpace())
}
const randomRange = () => {
  const sets = [randomSet()]
  while (chance(0.25)) sets.push(randomSet())
  return sets.join(pick(['||', ' || ', ' ||', '|| ']))
}
const alphabet = '0123456789.-+xX*^~<>=|v abz\t'
const mutate = text => {
  const chars = [...text]
  const edits = 1 + Math.floor(random() * 2)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (chars.length + 1))
    const kind = random()
    if (kind < 0.4) chars.splice(at, 0, pick(alphabet))
    else if (kind < 0.7) chars.splice(at, 1)
    else chars.splice(at, 1, pick(alphabet))
  }
  return chars.join('')
}
const soup = () => {
  const length = Math.floor(random() * 14)
  let text = ''
  for (let i = 0; i < length; i++) text += pick(alphabet)
  return text
}
for (let i = 0; i < 700; i++) ranges.push({ range: randomRange(), origin: 'generated' })
for (let i = 0; i < 700; i++) ranges.push({ range: mutate(randomRange()), origin: 'mutated' })
for (let i = 0; i < 400; i++) ranges.push({ range: soup(), origin: 'soup' })

// ---------------------------------------------------------------------------------------------------
const nodeRange = (range, options) => {
  try {
    return new semver.Range(range, options).range || '*'
  } catch (error) {
    return null
  }
}

const seen = new Set()
const cases = []
const unexplained = []
const counts = { stricter: {} }
for (const { range, origin } of ranges) {
  if (seen.has(range)) continue
  seen.add(range)
  const normalized = semver.validRange(range)
  const valid = normalized !== null
  const accepted = grammar.test(range)
  const entry = { range, origin, valid }
  if (valid && !accepted) {
    const key = Object.keys(stricter).find(name => stricter[name].applies(range))
    if (!key) {
      unexplained.push(`node accepts ${JSON.stringify(range)} as ${JSON.stringify(normalized)}; the grammar refuses it`)
      continue
    }
    entry.stricter = stricter[key].reason
    entry.stricterClass = key
    counts.stricter[key] = (counts.stricter[key] || 0) + 1
  } else if (!valid && accepted) {
    unexplained.push(`the grammar accepts ${JSON.stringify(range)}; node refuses it`)
    continue
  }
  if (valid) {
    entry.normalized = normalized
    entry.normalizedPre = nodeRange(range, { includePrerelease: true })
    entry.satisfies = versions.map(v => semver.satisfies(v, range) ? '1' : '0').join('')
    entry.satisfiesPre = versions.map(v => semver.satisfies(v, range, { includePrerelease: true }) ? '1' : '0').join('')
    entry.max = semver.maxSatisfying(versions, range)
    entry.maxPre = semver.maxSatisfying(versions, range, { includePrerelease: true })
  }
  cases.push(entry)
}
if (unexplained.length) {
  console.error(unexplained.join('\n'))
  console.error(`${unexplained.length} unexplained disagreements; nothing written`)
  process.exit(1)
}

// Versions: all must be valid for node; precedence as a rank (equal precedence, equal rank).
const allVersions = [...new Set([...versions, ...precedenceOnly])]
for (const v of allVersions) {
  if (semver.valid(v) === null) throw new Error(`node rejects the version ${v}`)
}
const ordered = [...allVersions].sort(semver.compare)
const rank = new Map()
ordered.forEach((v, i) => rank.set(v, i > 0 && semver.compare(ordered[i - 1], v) === 0 ? rank.get(ordered[i - 1]) : i))
for (const a of allVersions) {
  for (const b of allVersions) {
    if (Math.sign(rank.get(a) - rank.get(b)) !== semver.compare(a, b)) throw new Error(`rank of ${a} and ${b}`)
  }
}

const semverVersion = require(path.join(semverPath, 'package.json')).version
const fixtures = path.join(__dirname, '..', 'Tests', 'MaxhubCoreTests', 'Fixtures', 'semver')
// One line per array element (a range case, a version), so that a change to the corpus reads as a small diff.
const write = (name, value) => {
  const fields = Object.entries(value).map(([key, field]) => {
    const text = Array.isArray(field) && field.length && typeof field[0] === 'object'
      ? '[\n  ' + field.map(item => JSON.stringify(item)).join(',\n  ') + '\n ]'
      : JSON.stringify(field)
    return ` ${JSON.stringify(key)}: ${text}`
  })
  fs.writeFileSync(path.join(fixtures, name), '{\n' + fields.join(',\n') + '\n}\n')
}
write('oracle.json', {
  generator: 'scripts/semver-oracle.js',
  semver: semverVersion,
  grammarPattern,
  stricterClasses: Object.fromEntries(Object.entries(stricter).map(([key, value]) => [key, value.reason])),
  versions,
  sorted: [...versions].sort(semver.compare),
  invalidVersions: invalidVersions.filter(v => semver.valid(v) === null),
  cases,
})
write('versions.json', {
  generator: 'scripts/semver-oracle.js',
  semver: semverVersion,
  valid: allVersions.map(v => ({ version: v, rank: rank.get(v) })),
  invalid: invalidVersions.map(v => ({ version: v, node: semver.valid(v) !== null })),
})

const valid = cases.filter(c => c.valid && !c.stricter).length
const satisfaction = valid * versions.length * 2
console.log(`${cases.length} ranges (${valid} valid, ${cases.filter(c => !c.valid).length} invalid, ` +
  `${cases.filter(c => c.stricter).length} deliberately stricter: ${JSON.stringify(counts.stricter)}) x ` +
  `${versions.length} versions x 2 = ${satisfaction} satisfaction cases; ${allVersions.length} versions ranked, ` +
  `${invalidVersions.length} invalid; node-semver ${semverVersion}`)
