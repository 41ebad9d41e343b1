import type { Rng } from './rng';

/**
 * A number written as this exact text, in a document and in a JSON body alike: `1e999`, `-0`,
 * `9007199254740993` say something JSON.stringify cannot. Where only JSON.stringify serializes
 * (the graphql-ws client), it becomes the nearest JSON number, or null.
 */
export class RawNumber {
  constructor(readonly text: string) {}

  toJSON(): number | null {
    const n = Number(this.text);
    return Number.isFinite(n) ? n : null;
  }
}

/** An enum value: a bare name in a document, a string in variables. */
export class EnumName {
  constructor(readonly name: string) {}

  toJSON(): string {
    return this.name;
  }
}

export type Value = string | number | boolean | null | RawNumber | EnumName | Value[] | { [key: string]: Value };

export type NodeType = 'Article' | 'Author' | 'License' | 'Image' | 'Publication' | 'TranslationRequest' | 'Webhook' | 'WebhookDelivery';

export type CursorKind = 'pd' | 'pa' | 's' | 'au' | 'translation-request' | 'event';

/** What exists in the database the gateway serves: the raw material of valid and nearly valid values. */
export interface World {
  /** Global ids of public objects by type; Article holds published articles only. */
  ids: Record<NodeType, string[]>;
  draftIds: string[];
  slugs: { published: string[]; drafts: string[]; authors: string[] };
  keys: { licenses: string[]; publications: string[]; images: string[] };
  sections: string[];
  /** Cursors the gateway handed out, by the list they come from. */
  cursors: Record<CursorKind, string[]>;
  /** A webhook receiver on loopback: the only address a generated webhook URL points at. */
  receiverUrl: string;
  /** A language no generated value asks for, so that the invariant queries can read its state. */
  reservedLanguage: string;
}

/** Records which hostile families a case drew from: printed with a finding, counted in the summary. */
export type Tag = (family: string) => void;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const SQL = [
  "'",
  "''",
  "' OR '1'='1",
  "'; DROP TABLE article; --",
  '" OR 1=1 --',
  "1' AND sleep(5) --",
  "1; SELECT pg_sleep(5)",
  "'||(SELECT sqlite_version())||'",
  '%',
  '_',
  '%_%',
  '\\',
  "\\'",
  'NULL',
  '$1',
  ':afterId',
  '?',
];

const FTS = [
  'NEAR(a b)',
  'a NEAR/3 b',
  '"',
  '"unterminated',
  '""',
  'a OR',
  'OR',
  'AND',
  'NOT',
  'NOT a',
  '*',
  'a*',
  '^a',
  '-a',
  '+a',
  '(',
  ')',
  '()',
  'title:x',
  '{title summary}: x',
  'a & b',
  '!a',
  'a:*',
  'a <-> b',
  '(a | b) & !c',
  'a:**',
  '"a" "b"',
  ':',
  'a:',
  '\'"\'',
  'rank',
  'civil society',
  'policy innovation',
  'the',
  'café',
  'straße',
  '東京',
  'عربى',
];

const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const ODD = [
  '',
  ' ',
  '   ',
  '\t',
  '\r\n',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83Dy',
  '\u202Eevil',
  '\u200Fabc\u200F',
  '\u2066x\u2069',
  '\uFEFF',
  '\u00A0',
  '\u200B',
  'e\u0301',
  '🦜',
  '👨‍👩‍👧‍👦',
  '%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '&amp;',
  '1e999',
  'NaN',
  '-0',
  'Infinity',
  '9007199254740993',
  'null',
  'undefined',
  'true',
];

function randomText(rng: Rng, max: number): string {
  const length = rng.int(0, max);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += rng.weighted<() => string>([
      [6, () => String.fromCharCode(rng.int(0x20, 0x7e))],
      [1, () => String.fromCharCode(rng.int(0, 0x1f))],
      [2, () => String.fromCharCode(rng.int(0xa0, 0x2fff))],
      [1, () => String.fromCharCode(rng.int(0x4e00, 0x9fff))],
      [1, () => String.fromCodePoint(rng.int(0x1f300, 0x1faff))],
      [1, () => String.fromCharCode(rng.int(0xd800, 0xdfff))],
    ])();
  }
  return out;
}

function longText(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => 'a'.repeat(rng.int(1000, 10_000))],
    [1, () => Array.from({ length: 3000 }, () => rng.pick(['policy', 'data', 'climate', 'a', 'OR', '*'])).join(' ')],
    // Near the 100 KiB body limit: reaches execution over HTTP POST, not over a 64 KiB WebSocket frame.
    [1, () => 'x'.repeat(50_000)],
    [1, () => 'x'.repeat(100_000)],
  ])();
}

/** Free text: names, titles, bodies and any string argument without a meaning of its own. */
export function hostileString(rng: Rng, tag: Tag): string {
  return rng.weighted<() => string>([
    [3, () => (tag('string:random'), randomText(rng, 20))],
    [3, () => (tag('string:odd'), rng.pick(ODD))],
    [2, () => (tag('string:sql'), rng.pick(SQL))],
    [2, () => (tag('string:fts'), rng.pick(FTS))],
    [1, () => (tag('string:proto'), rng.pick(PROTO))],
    [1, () => (tag('string:long'), longText(rng))],
  ])();
}

export function searchQuery(rng: Rng, world: World, tag: Tag): string {
  return rng.weighted<() => string>([
    [4, () => (tag('search:fts'), rng.pick(FTS))],
    [2, () => (tag('search:words'), rng.pick(world.slugs.published).split('-').slice(0, rng.int(1, 4)).join(' '))],
    [1, () => (tag('search:draft-words'), rng.pick(world.slugs.drafts).split('-').slice(0, rng.int(1, 3)).join(' '))],
    [1, () => (tag('search:many-terms'), Array.from({ length: rng.int(50, 400) }, () => rng.pick(['a', 'policy', 'OR', '"x"', '*', 'NEAR'])).join(' '))],
    [3, () => hostileString(rng, tag)],
  ])();
}

const VALID_LANGUAGES = ['en', 'ja', 'fr', 'de', 'es', 'zh-Hant', 'zh-TW', 'zh', 'pt-BR', 'en-US', 'EN', 'ja-JP', 'zh-Hant-TW', 'sr-Latn', 'he', 'ar', 'und', 'de-CH-1996', 'qaa', 'en-x-private', 'en-u-ca-buddhist', 'tlh'];
const INVALID_LANGUAGES = ['', 'en_US', '-', 'e', '123', 'en--US', 'toolongsubtag', 'en-', ' en', 'en ', 'x-klingon', 'i-klingon', 'i-default', 'root', '*', 'ja\u0000', 'ja\u202E', 'ença', 'en-US-u'];

export function languageTag(rng: Rng, world: World, tag: Tag): string {
  const reserved = new RegExp(`^${world.reservedLanguage}(?:-|$)`, 'i');
  for (;;) {
    const value = rng.weighted<() => string>([
      [6, () => (tag('language:valid'), rng.pick(VALID_LANGUAGES))],
      [4, () => (tag('language:invalid'), rng.pick(INVALID_LANGUAGES))],
      [1, () => (tag('language:35-chars'), `en-${'abcdefgh-'.repeat(4)}`.slice(0, rng.pick([35, 36])))],
      [1, () => (tag('language:200-chars'), rng.pick(['a-'.repeat(100), `en-${'x'.repeat(197)}`, `x-${'abcdefgh-'.repeat(20)}`]))],
      [1, () => hostileString(rng, tag)],
    ])();
    if (!reserved.test(value.trim())) return value;
  }
}

export function slug(rng: Rng, world: World, tag: Tag): string {
  return rng.weighted<() => string>([
    [4, () => (tag('slug:published'), rng.pick(world.slugs.published))],
    [3, () => (tag('slug:draft'), rng.pick(world.slugs.drafts))],
    [1, () => (tag('slug:author'), rng.pick(world.slugs.authors))],
    [1, () => (tag('slug:fresh'), `fuzz-${rng.int(0, 1e9).toString(36)}`)],
    [1, () => (tag('slug:near'), rng.pick([(s: string) => s.toUpperCase(), (s: string) => `${s}-`, (s: string) => `-${s}`, (s: string) => s.replace(/-/g, '--'), (s: string) => `${s}%`, (s: string) => `${s}\u0000`, (s: string) => s.slice(0, -1)])(rng.pick(world.slugs.published)))],
    [1, () => (tag('slug:long'), 'a'.repeat(rng.pick([200, 201, 1000])))],
    [2, () => hostileString(rng, tag)],
  ])();
}

export function key(rng: Rng, known: string[], tag: Tag): string {
  return rng.weighted<() => string>([
    [4, () => (tag('key:known'), rng.pick(known))],
    [1, () => (tag('key:near'), rng.pick(known).toUpperCase())],
    [2, () => hostileString(rng, tag)],
  ])();
}

export function section(rng: Rng, world: World, tag: Tag): string {
  return rng.weighted<() => string>([
    [4, () => (tag('section:known'), rng.pick(world.sections))],
    [1, () => (tag('section:case'), rng.pick(world.sections).toLowerCase())],
    [2, () => hostileString(rng, tag)],
  ])();
}

const NODE_TYPES: NodeType[] = ['Article', 'Author', 'License', 'Image', 'Publication', 'TranslationRequest', 'Webhook', 'WebhookDelivery'];

/** A global id: of the type the argument wants, of another type, of a draft, or nearly one. */
export function globalId(rng: Rng, world: World, wanted: NodeType | undefined, tag: Tag): Value {
  const of = (type: NodeType) => world.ids[type];
  const some = (type: NodeType) => (of(type).length > 0 ? rng.pick(of(type)) : b64(`${type}:1`));
  return rng.weighted<() => Value>([
    [5, () => (tag('id:valid'), some(wanted ?? rng.pick(NODE_TYPES)))],
    [3, () => (tag('id:draft'), rng.pick(world.draftIds))],
    [2, () => (tag('id:other-type'), some(rng.pick(NODE_TYPES.filter((t) => t !== wanted))))],
    [1, () => (tag('id:truncated'), some(wanted ?? 'Article').slice(0, -rng.int(1, 3)))],
    [1, () => (tag('id:padded'), `${some(wanted ?? 'Article')}==`)],
    [1, () => (tag('id:std-base64'), Buffer.from(`${wanted ?? 'Article'}:${rng.int(1, 500)}`).toString('base64').replace(/=*$/, '+/'))],
    [
      3,
      () => (
        tag('id:crafted'),
        b64(
          rng.pick([
            `${wanted ?? 'Article'}:0`,
            `${wanted ?? 'Article'}:-1`,
            `${wanted ?? 'Article'}:01`,
            `${wanted ?? 'Article'}:99999999999999999`,
            `${wanted ?? 'Article'}:9007199254740993`,
            `${wanted ?? 'Article'}:9999999999999999`,
            `${wanted ?? 'Article'}:2147483648`,
            `${wanted ?? 'Article'}:1e999`,
            `${wanted ?? 'Article'}:1.5`,
            `${wanted ?? 'Article'}: 1`,
            `${wanted ?? 'Article'}:1:2`,
            `${(wanted ?? 'Article').toLowerCase()}:1`,
            'Node:1',
            'Query:1',
            '__proto__:1',
            'constructor:1',
            'Article:',
            ':1',
            'Article:1\u0000',
          ]),
        )
      ),
    ],
    [1, () => (tag('id:number'), rng.pick<Value>([1, 0, -1, 2 ** 31 - 1, new RawNumber('2147483648'), new RawNumber('9007199254740993'), new RawNumber('1e999')]))],
    [1, () => (tag('id:length'), rng.pick(['', 'A'.repeat(64), 'A'.repeat(65), 'A'.repeat(5000)]))],
    [1, () => hostileString(rng, tag)],
  ])();
}

function cursorText(kind: CursorKind, value: string, rowId: string): string {
  return kind === 'event' ? b64(`event:${value}`) : b64(`[${JSON.stringify(kind)},${value},${rowId}]`);
}

const CURSOR_VALUES = ['1e308', '-0', '5e-324', '0', '-1', '1.5', '"2020-01-01 00:00:00.000"', '"x"', '""', 'null', 'true', '[]', '{}', '"\\u0000"', '"\' OR 1=1 --"', '"9999-99-99"', `"${'z'.repeat(250)}"`, '9007199254740993'];
const CURSOR_ROW_IDS = ['1', '0', '-1', '1.5', '9007199254740993', '1e999', '"1"', 'null', '2147483648'];
const CURSOR_KINDS: CursorKind[] = ['pd', 'pa', 's', 'au', 'translation-request', 'event'];

/** An `after` argument for a list whose cursors are of `kind`. */
export function cursor(rng: Rng, world: World, kind: CursorKind, tag: Tag): Value {
  const valid = (k: CursorKind) => (world.cursors[k].length > 0 ? rng.pick(world.cursors[k]) : cursorText(k, '1', '1'));
  return rng.weighted<() => Value>([
    [3, () => (tag('cursor:valid'), valid(kind))],
    // JSON.parse reads 1e999 as Infinity: a number, yet none a database can compare with.
    [
      2,
      () => (
        tag('cursor:non-finite'),
        kind === 'event' ? cursorText('event', rng.pick(['1e999', 'Infinity']), '') : cursorText(kind, rng.pick(['1e999', '-1e999']), rng.pick(['1', '1', '1e999', '-1']))
      ),
    ],
    [2, () => (tag('cursor:other-list'), valid(rng.pick(CURSOR_KINDS.filter((k) => k !== kind))))],
    [
      4,
      () => {
        tag('cursor:crafted-value');
        const value = rng.pick(CURSOR_VALUES);
        return kind === 'event'
          ? cursorText('event', rng.pick(['0', '-1', '1e999', '99999999999999999', '9007199254740993', '01', '1 ', '']), '')
          : cursorText(kind, value, rng.pick(['1', '1', ...CURSOR_ROW_IDS]));
      },
    ],
    [1, () => (tag('cursor:crafted-row'), cursorText(kind, kind === 'au' ? '"a"' : '"2020-01-01 00:00:00.000"', rng.pick(CURSOR_ROW_IDS)))],
    [
      2,
      () => (
        tag('cursor:wrong-shape'),
        b64(rng.pick(['[]', '{}', `["${kind}"]`, `["${kind}",1]`, `["${kind}",1,1,1]`, '"str"', '1', 'null', `["${kind}",[1],1]`, `{"0":"${kind}","1":1,"2":1,"length":3}`, `["${kind}",{"a":1},1]`, '[', 'event', 'event:']))
      ),
    ],
    [
      2,
      () => (
        tag('cursor:malformed'),
        rng.pick(['not base64!', '', '0', '-1', 'A'.repeat(401), 'A'.repeat(41), `${valid(kind)}=`, `${valid(kind)}A`, valid(kind).slice(0, -2), Buffer.from('["pd",1,1]').toString('base64').replace(/=*$/, '/+')])
      ),
    ],
    [1, () => hostileString(rng, tag)],
  ])();
}

/** `first` and other page sizes: the page limits, their neighbours and the ends of Int. */
export function pageSize(rng: Rng, tag: Tag): Value {
  return rng.weighted<() => Value>([
    [6, () => (tag('int:small'), rng.int(1, 5))],
    [3, () => (tag('int:limit'), rng.pick([0, 19, 20, 21, 99, 100, 101]))],
    [2, () => (tag('int:edge'), rng.pick<Value>([-1, -(2 ** 31), 2 ** 31 - 1, 1000]))],
    [1, () => (tag('int:out-of-range'), rng.pick([new RawNumber('2147483648'), new RawNumber('-2147483649'), new RawNumber('9007199254740993')]))],
    [1, () => (tag('int:not-int'), rng.pick<Value>([new RawNumber('1.5'), new RawNumber('1e999'), new RawNumber('-0'), '5', true]))],
  ])();
}

/** Other Int arguments: event sequence numbers. */
export function sequenceNumber(rng: Rng, tag: Tag): Value {
  return rng.weighted<() => Value>([
    [3, () => (tag('int:sequence'), rng.int(0, 30))],
    [2, () => (tag('int:edge'), rng.pick<Value>([-1, 0, 2 ** 31 - 1, -(2 ** 31)]))],
    [1, () => (tag('int:out-of-range'), rng.pick([new RawNumber('2147483648'), new RawNumber('1e999'), new RawNumber('1.5')]))],
  ])();
}

export function dateTime(rng: Rng, tag: Tag): Value {
  return rng.weighted<() => Value>([
    [3, () => (tag('date:valid'), rng.pick(['2024-01-01T00:00:00Z', '2019-06-30T12:00:00.000+14:00', '1970-01-01T00:00:00Z', '2099-12-31T23:59:59Z']))],
    [2, () => (tag('date:edge'), rng.pick(['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z']))],
    [2, () => (tag('date:invalid'), rng.pick<Value>(['2024-13-01T00:00:00Z', '2024-02-30T00:00:00Z', '2024-01-01T25:00:00Z', '2024-01-01', '2024-01-01T00:00:00', 'yesterday', '', 0, new RawNumber('1e15'), -1]))],
    [1, () => hostileString(rng, tag)],
  ])();
}

function isSafeUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return true;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return true;
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/**
 * A URL for a webhook or an image source. Whatever is generated points at this machine's loopback
 * or at nothing: a webhook the gateway accepts is delivered to, and no other host may be a target.
 */
export function url(rng: Rng, world: World, tag: Tag): string {
  const receiver = new URL(world.receiverUrl);
  const value = rng.weighted<() => string>([
    [4, () => (tag('url:receiver'), world.receiverUrl)],
    [
      3,
      () => (
        tag('url:odd'),
        rng.pick([
          `${world.receiverUrl}?x=${encodeURIComponent('\u0000\u202E')}`,
          `http://localhost:${receiver.port}/hook`,
          `http://[::1]:${receiver.port}/hook`,
          `http://0x7f.1:${receiver.port}/hook`,
          `https://127.0.0.1:${receiver.port}/hook`,
          `http://user:pass@127.0.0.1:${receiver.port}/hook`,
          `HTTP://127.0.0.1:${receiver.port}/HOOK`,
          `http://127.0.0.1:${receiver.port}/${'a'.repeat(3000)}`,
          'http://127.0.0.1:1/closed',
          'http://127.0.0.1:99999/',
          'ftp://127.0.0.1/',
          'javascript:alert(1)',
          'file:///etc/passwd',
          'data:text/plain,x',
          'http://',
          'http:///hook',
          'not a url',
          '//127.0.0.1/hook',
        ])
      ),
    ],
    [1, () => hostileString(rng, tag)],
  ])();
  return isSafeUrl(value) ? value : world.receiverUrl;
}
