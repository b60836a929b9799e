#!/usr/bin/env node
// Writes Tests/MaxhubCoreTests/Fixtures/semver/oracle.json: node-semver's answers (strict mode) for
// every range below against every version below, with and without includePrerelease, so that
// maxhub's VersionRange is checked against the reference implementation. CI reads the committed
// file; run this again (node and npm's bundled semver are enough) after changing the lists.
//
//   node scripts/semver-oracle.js [path/to/semver]
'use strict'
const path = require('path')
const fs = require('fs')
const semverPath = process.argv[2] || '/usr/lib/node_modules/npm/node_modules/semver'
const semver = require(semverPath)

const versions = [
  '0.0.0', '0.0.1', '0.0.3-alpha', '0.0.3-beta', '0.0.3', '0.0.4', '0.1.0', '0.2.0', '0.2.3', '0.2.4-rc.1',
  '0.2.5', '0.3.0-0', '0.3.0', '1.0.0-0', '1.0.0', '1.1.9', '1.2.0-alpha', '1.2.0', '1.2.2', '1.2.3-alpha',
  '1.2.3-beta.1', '1.2.3-beta.2', '1.2.3-beta.11', '1.2.3', '1.2.3+build.7', '1.2.4-rc.1', '1.2.4', '1.2.99',
  '1.3.0-0', '1.3.0', '1.9.9', '2.0.0-0', '2.0.0-rc.1', '2.0.0', '2.3.4-rc.1', '2.3.4', '2.3.5', '2.4.0',
  '3.0.0-beta', '3.0.0', '10.20.30', '10.20.31',
]

const partials = [
  '1', '1.2', '1.2.3', '0', '0.0', '0.0.3', '0.2', '0.2.3', '1.2.3-beta.1', '0.0.3-alpha', '0.2.3-rc.1', '1.x',
  '1.2.x', '1.X', '1.*', '*', 'x', 'X', '1.x.3', 'x.2.3', '2.0.0-rc.1+build.5', '1.2.3+build', 'v1.2.3', 'v1.2',
  '10.20.30', '1.2.x-beta', '0.x', '0.0.x',
]
const ops = ['', '=', '<', '<=', '>', '>=', '~', '~>', '^']
const ranges = []
for (const op of ops) for (const p of partials) ranges.push(op + p)
for (const op of ['=', '<', '<=', '>', '>=', '~', '~>', '^']) ranges.push(`${op} 1.2.3`, `${op}  1.2`, `${op} v1`)
const ends = ['1', '1.2', '1.2.3', '1.2.3-beta', 'x', '2', '2.3', '2.3.4', '2.3.4-rc.1', '0.2.3']
for (const a of ends) for (const b of ends) ranges.push(`${a} - ${b}`)
ranges.push(
  '', ' ', '  ', '>=1.2 <2', '>1.2.3 <=2.0.0-rc.1', '^1.2 || ^2', '~1.2.3 || >=3.0.0-beta', '1.2.3 - 2 || 3.x',
  '<1.2.3-beta.2 >=1.0.0', '>=1.2.3-alpha <1.2.3', '>=1.2.3-alpha <1.3', '^1.2.3-beta.1 || ^0.2.3-rc.1',
  '>=0.0.0', '>=0.0.0-0', '>=0.0.0 <1', '>=1.0.0-0 <1.0.1', '1.2.3 1.2.3', '^0.0.3-alpha', '>0.0.3-alpha <0.0.4',
  ' 1.2.3 ', '  ^1.2  ||  ~2.3  ', '1.2.3||2', '||1.2.3', '1.2.3 ||', '1.2.3 || ', '^1 ^1.2', '<2 >1 <=1.9.9',
  '>1.2.3-beta.1 <1.2.3-beta.11', '1.2.3-beta.2 - 1.2.3', '~1.2.3-beta.1 <1.2.3', '>=1.2.3-beta.1 <=1.2.3-beta.11',
  '*', '* || 1.2.3-beta.1', '>* ', '<*', '>=*', '<=*', '=*', '^*', '~*', '^x.x.x', '1.x.x', '1.*.*', '>=1.x <=2.x',
  '<1.x', '>1.x', '<=1.x', '>1.2.x', '<=1.2.x', '<1.2.x', '1.2.3-beta.1 || 1.2.3-beta.2', '^10.20', '~10',
  // invalid
  '>=1.2 <<2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '1.2.3-', '^', '~>', '~', '1 - ', ' - 2', '>=', '<', 'a.b.c',
  '1.2.3a', '1.2-beta', '1-beta', '1 | 2', '>= 1.2.3 - 2', '1.2.3 -beta', '1.2.3-01', 'ünïcode', '≥1.2', '~ >1.2',
  'x1', '1..2', '.1.2', '1.2.', '1 2 - 3', '1.2.3 - 2.3.4 - 5', '<>1', '=>1', '1,2', '*.*.*.*', '1.2.3+', '1.2.3-beta..1',
  '^1.2.3 ||| 2', '>=1.2.3 <2.0.0 ||', 'latest', 'v', 'V1.2.3', '1.2.3 - -2', '~~1', '^^1', '>>1', '<=>1',
  '12345678901234567', '1.2.3-beta+', '1.2.3+build..1', '1.2.3+bu_ild',
  // node accepts these through its prefix regexes; maxhub is deliberately stricter (see `stricter` below)
  '>==1.2', '^=1.2', '~=1.2', '==1.2.3', 'v=1.2', '=v1.2.3 - =2', '1.2.3 - =2',
)

// Ranges node-semver accepts only by an accident of its `[v=\s]*` prefix: an `=` stacked after an
// operator or inside a hyphen range. maxhub rejects them; the test asserts exactly that.
const stricter = {
  '>==1.2': 'an = after >= is swallowed by node\'s [v=\\s]* version prefix',
  '^=1.2': 'an = after ^ is swallowed by node\'s version prefix',
  '~=1.2': 'an = after ~ is swallowed by node\'s version prefix',
  'v=1.2': 'v= is node\'s version prefix repeated',
  '1.2.3 - =2': 'node\'s hyphen form takes its own [v=\\s]* prefix',
  '~ >1.2': 'node trims "~ " to "~" and so reads "~ >" as "~>"',
}

const seen = new Set()
const cases = []
for (const range of ranges) {
  if (seen.has(range)) continue
  seen.add(range)
  const valid = semver.validRange(range) !== null
  const entry = { range, valid }
  if (stricter[range]) {
    entry.stricter = stricter[range]
    if (!valid) throw new Error(`node rejects ${range}; drop it from the stricter list`)
  }
  if (valid) {
    entry.normalized = new semver.Range(range).range || '*'
    entry.satisfies = versions.map(v => semver.satisfies(v, range) ? '1' : '0').join('')
    entry.satisfiesPre = versions.map(v => semver.satisfies(v, range, { includePrerelease: true }) ? '1' : '0').join('')
    entry.max = semver.maxSatisfying(versions, range)
    entry.maxPre = semver.maxSatisfying(versions, range, { includePrerelease: true })
  }
  cases.push(entry)
}

const invalidVersions = ['', '1', '1.2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '1.2.3-', '1.2.3-01', '1.2.3+',
  '1.2.3-beta..1', '1.2.3+a..b', 'a.b.c', '1.2.3a', '-1.2.3', '1.2.3 -beta', '1.2.3-beta!', '1.2.3+build_1',
  '99999999999999999.0.0', '9007199254740992.0.0']
for (const v of invalidVersions) {
  if (semver.valid(v) !== null) throw new Error(`node accepts ${v}`)
}
const sorted = [...versions].sort(semver.compare)

const out = {
  generator: 'scripts/semver-oracle.js',
  semver: require(path.join(semverPath, 'package.json')).version,
  versions,
  sorted,
  invalidVersions,
  cases,
}
const target = path.join(__dirname, '..', 'Tests', 'MaxhubCoreTests', 'Fixtures', 'semver', 'oracle.json')
fs.writeFileSync(target, JSON.stringify(out, null, 1) + '\n')
const valid = cases.filter(c => c.valid).length
console.log(`${cases.length} ranges (${valid} valid, ${cases.length - valid} invalid) x ${versions.length} versions x 2 = ` +
  `${valid * versions.length * 2} satisfaction cases; node-semver ${out.semver}`)
