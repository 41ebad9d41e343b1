import type { GraphQLSchema } from 'graphql';
import type { OperationLimits } from '../../src/graphql/checks/limits';
import type { Keys } from '../helpers/editors';
import type { World } from './hostile-values';
import { Rng } from './rng';
import { FuzzOperation, generateOperation, GeneratorOptions, jsonText, OperationKind } from './schema-operations';
import {
  ApqTwist,
  Exchange,
  getWithApq,
  HttpOptions,
  onOwnSocket,
  overWebSocket,
  PooledSocket,
  postOperation,
  postRaw,
  RawBody,
  rawWebSocket,
  short,
  WsOptions,
} from './transports';

/** Who sends a case. Only editors may change content; everyone else is checked for what they must not see. */
export type Role = 'anonymous' | 'integrator' | 'revoked' | 'malformed-key' | 'editor';

export type Plan =
  | { transport: 'http-post'; op: FuzzOperation }
  | { transport: 'http-get-apq'; op: FuzzOperation; twist: ApqTwist; again: boolean }
  | { transport: 'http-raw'; op: FuzzOperation; raw: RawBody; variant: string }
  | { transport: 'ws'; op: FuzzOperation }
  | { transport: 'ws-connect'; op: FuzzOperation; params: Record<string, unknown>; variant: string }
  | { transport: 'ws-raw'; frames: Array<string | Buffer>; variant: string };

export interface FuzzCase {
  seed: number;
  role: Role;
  headers: Record<string, string>;
  plan: Plan;
}

export interface Phase {
  roles: ReadonlyArray<readonly [number, Role]>;
  kinds: ReadonlyArray<readonly [number, OperationKind]>;
  transports: ReadonlyArray<readonly [number, Plan['transport']]>;
}

export interface CaseContext {
  schema: GraphQLSchema;
  world: World;
  limits: OperationLimits;
  keys: Keys;
  /** Frames larger than this close a WebSocket with 1009: such operations go on a socket of their own. */
  maxPayloadBytes: number;
}

function authorization(rng: Rng, role: Role, keys: Keys): Record<string, string> {
  switch (role) {
    case 'anonymous':
      return {};
    case 'integrator':
      return { authorization: `Bearer ${keys.integrator}` };
    case 'revoked':
      return { authorization: `Bearer ${keys.revokedEditor}` };
    case 'editor':
      return { authorization: `Bearer ${keys.editor}` };
    case 'malformed-key':
      return {
        authorization: rng.pick([
          'Basic dXNlcjpwYXNz',
          'Bearer ',
          'Bearer',
          `Bearer ${'x'.repeat(5000)}`,
          `Bearer ${keys.editor.slice(0, -1)}`,
          `bearer ${keys.integrator}x`,
          `Bearer ${keys.integrator} ${keys.integrator}`,
          'Bearer \u00e9',
        ]),
      };
  }
}

function readerHeaders(rng: Rng): Record<string, string> {
  if (!rng.chance(0.5)) return {};
  return { 'x-reader-id': rng.pick(['fuzz-reader', '', ' ', 'a'.repeat(8000), '__proto__', "'; DROP TABLE translation_request_reader; --", `reader-${rng.int(0, 50)}`]) };
}

/** A valid operation's body, broken in one of the ways a careless or hostile client breaks it. */
function rawBody(rng: Rng, op: FuzzOperation): { raw: RawBody; variant: string } {
  const valid = jsonText({ query: op.document, variables: op.variables, operationName: op.operationName });
  const [variant, body] = rng.weighted<readonly [string, string | Buffer]>([
    [2, ['valid', valid]],
    [2, ['truncated', valid.slice(0, rng.int(0, valid.length - 1))]],
    [1, ['batch', `[${valid},${valid}]`]],
    [1, ['empty-batch', '[]']],
    [2, ['query-not-string', `{"query":${rng.pick(['123', 'null', '{}', `[${JSON.stringify(op.document)}]`, 'true'])}}`]],
    [1, ['no-query', `{"variables":${jsonText(op.variables ?? {})}}`]],
    [2, ['variables-not-object', `{"query":${JSON.stringify(op.document)},"variables":${rng.pick(['"{}"', '[1]', '1', '"x"', 'true'])}}`]],
    [1, ['operation-name-not-string', `{"query":${JSON.stringify(op.document)},"operationName":${rng.pick(['1', '{}', '[]', 'true'])}}`]],
    [
      2,
      [
        'extensions',
        `{"query":${JSON.stringify(op.document)},"extensions":${rng.pick([
          '"x"',
          '[]',
          '{"persistedQuery":{"version":2,"sha256Hash":"ab"}}',
          '{"persistedQuery":{"version":1,"sha256Hash":123}}',
          '{"persistedQuery":null}',
          '{"persistedQuery":"x"}',
          '{"cost":true}',
          '{"cost":"yes"}',
          '{"__proto__":{"polluted":true}}',
        ])}}`,
      ],
    ],
    [1, ['duplicate-keys', `{"query":"{ __typename }","query":${JSON.stringify(op.document)}}`]],
    [1, ['proto-key', `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"query":${JSON.stringify(op.document)}}`]],
    [1, ['bom', `\uFEFF${valid}`]],
    [1, ['empty', '']],
    [1, ['not-json', rng.pick(['query { __typename }', 'null', '"text"', '1', '{', '}', '{"query":"{ __typename }"}}', 'undefined'])]],
    [1, ['bytes', Buffer.from(Array.from({ length: rng.int(1, 200) }, () => rng.int(0, 255)))]],
    [1, ['over-limit', `{"query":${JSON.stringify(op.document)},"padding":"${'x'.repeat(110 * 1024)}"}`]],
    [1, ['deep-json', `${'['.repeat(5000)}${']'.repeat(5000)}`]],
  ]);
  const contentType = rng.weighted<string | undefined>([
    [8, 'application/json'],
    [2, 'application/json; charset=utf-8'],
    [1, 'application/json; charset=UTF-8'],
    [1, 'application/json; charset="utf-8"'],
    [1, 'text/plain'],
    [1, 'application/graphql'],
    [1, 'application/json; charset=latin1'],
    [1, 'application/json; charset=utf-7'],
    [1, 'multipart/form-data; boundary=x'],
    [1, 'application/x-www-form-urlencoded'],
    [1, 'application/json, text/plain'],
    [1, 'application/graphql-response+json'],
    [1, undefined],
  ]);
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  if (rng.chance(0.05)) headers['content-encoding'] = rng.pick(['gzip', 'identity', 'br', 'x']);
  if (rng.chance(0.1)) headers.accept = rng.pick(['application/graphql-response+json', 'text/html', 'application/json;q=0.1, */*', '*/*']);
  return { raw: { body, headers }, variant: `${variant} as ${contentType ?? 'no content type'}${headers['content-encoding'] ? ` (${headers['content-encoding']})` : ''}` };
}

function message(value: unknown): string {
  return JSON.stringify(value);
}

/** Frames that break the graphql-transport-ws protocol, each in its own way. */
function rawFrames(rng: Rng, op: FuzzOperation): { frames: Array<string | Buffer>; variant: string } {
  const init = message({ type: 'connection_init', payload: {} });
  const subscribe = (id: unknown, payload: unknown = { query: op.document, variables: op.variables }) => message({ id, type: 'subscribe', payload });
  return rng.pick<{ frames: Array<string | Buffer>; variant: string }>([
    { variant: 'subscribe before init', frames: [subscribe('1')] },
    { variant: 'init twice', frames: [init, init] },
    { variant: 'duplicate id', frames: [init, subscribe('1'), subscribe('1')] },
    { variant: 'not JSON', frames: [init, '{"type":'] },
    { variant: 'unknown type', frames: [init, message({ type: 'start', id: '1', payload: { query: op.document } })] },
    { variant: 'init payload not an object', frames: [message({ type: 'connection_init', payload: rng.pick(['x', 1, [1], true]) })] },
    { variant: 'authorization not a string', frames: [message({ type: 'connection_init', payload: { authorization: rng.pick([1, {}, [], true, null]) } }), subscribe('1')] },
    { variant: 'id not a string', frames: [init, subscribe(rng.pick([1, null, {}, '']))] },
    { variant: 'payload not an object', frames: [init, subscribe('1', rng.pick(['x', 1, null, [op.document]]))] },
    { variant: 'query not a string', frames: [init, subscribe('1', { query: rng.pick([1, null, {}, [op.document]]) })] },
    { variant: 'variables not an object', frames: [init, subscribe('1', { query: op.document, variables: rng.pick(['x', 1, [1]]) })] },
    { variant: 'complete unknown id', frames: [init, message({ type: 'complete', id: 'nope' })] },
    { variant: 'ping and pong', frames: [init, message({ type: 'ping', payload: { x: 1 } }), message({ type: 'pong' })] },
    { variant: 'binary frame', frames: [init, Buffer.from([0, 1, 2, 255])] },
    { variant: 'oversized frame', frames: [init, subscribe('1', { query: `{ __typename }#${'x'.repeat(70 * 1024)}` })] },
    { variant: 'many subscriptions', frames: [init, ...Array.from({ length: 25 }, (_, i) => subscribe(String(i), { query: 'subscription { articlePublished { cursor } }' }))] },
  ]);
}

/** The case a seed stands for: the same seed builds the same case. */
export function buildCase(seed: number, phase: Phase, context: CaseContext): FuzzCase {
  const rng = new Rng(seed);
  const role = rng.weighted(phase.roles);
  const transport = rng.weighted(phase.transports);
  const options: GeneratorOptions = { schema: context.schema, world: context.world, limits: context.limits, kinds: phase.kinds, overLimitShare: 0.08 };
  const op = generateOperation(rng.fork(), options);
  const headers = { ...authorization(rng, role, context.keys), ...readerHeaders(rng) };
  let plan: Plan;
  switch (transport) {
    case 'http-post':
      plan = { transport, op };
      break;
    case 'http-get-apq':
      plan = { transport, op, twist: rng.weighted<ApqTwist>([[12, 'none'], [1, 'hash-mismatch'], [1, 'bad-version'], [1, 'bad-hash']]), again: rng.chance(0.5) };
      break;
    case 'http-raw':
      plan = { transport, op, ...rawBody(rng, op) };
      break;
    case 'ws':
      plan = { transport, op };
      break;
    case 'ws-connect': {
      const [variant, params] = rng.pick<readonly [string, Record<string, unknown>]>([
        ['revoked key', { authorization: `Bearer ${context.keys.revokedEditor}` }],
        ['malformed key', { authorization: headers.authorization ?? 'Basic x' }],
        ['key as a number', { authorization: 12345 }],
        ['key as an object', { authorization: { key: context.keys.integrator } }],
        ['capitalised Authorization', { Authorization: `Bearer ${context.keys.integrator}` }],
        ['long key', { authorization: `Bearer ${'k'.repeat(20_000)}` }],
        ['odd reader id', { 'x-reader-id': rng.pick([1, {}, 'r'.repeat(10_000), '__proto__']) }],
        ['prototype keys', JSON.parse('{"__proto__":{"authorization":"Bearer x"},"constructor":{}}')],
      ]);
      plan = { transport, op, params, variant };
      break;
    }
    case 'ws-raw':
      plan = { transport, ...rawFrames(rng, op) };
      break;
  }
  return { seed, role, headers, plan };
}

/** At most `max` pieces of work at once; the rest wait their turn. */
export class Turns {
  private taken = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.taken < this.max) this.taken++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.taken--;
    }
  }
}

export interface Runtime {
  http: HttpOptions;
  ws: WsOptions;
  baseUrl: string;
  /** One open graphql-ws client per role that connects. */
  sockets: Partial<Record<Role, PooledSocket>>;
  /** Sockets opened for one case; with the pooled ones they stay under the gateway's limit per address. */
  ownSockets: Turns;
  maxPayloadBytes: number;
}

/** The case's headers as graphql-ws connection parameters, where the gateway reads them on a socket. */
export function wsConnectionParams(headers: Record<string, string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (headers.authorization !== undefined) params.authorization = headers.authorization;
  if (headers['x-reader-id'] !== undefined) params['x-reader-id'] = headers['x-reader-id'];
  return params;
}

/** Sends the case and returns every exchange it took. */
export async function runCase(c: FuzzCase, runtime: Runtime): Promise<Exchange[]> {
  const { plan } = c;
  switch (plan.transport) {
    case 'http-post':
      return [await postOperation(runtime.http, plan.op, c.headers)];
    case 'http-get-apq':
      return getWithApq(runtime.http, plan.op, c.headers, plan.twist, plan.again);
    case 'http-raw':
      return [await postRaw(runtime.http, { body: plan.raw.body, headers: { ...c.headers, ...plan.raw.headers } })];
    case 'ws': {
      const frame = Buffer.byteLength(jsonText({ id: '00000000-0000-0000-0000-000000000000', type: 'subscribe', payload: { query: plan.op.document, variables: plan.op.variables } }));
      const pooled = runtime.sockets[c.role];
      if (pooled && frame < runtime.maxPayloadBytes - 1024) return [await overWebSocket(pooled.client, plan.op, runtime.ws)];
      // Keys that close the socket, and frames over its limit, go on a socket of their own.
      return [await runtime.ownSockets.run(() => onOwnSocket(runtime.baseUrl, wsConnectionParams(c.headers), plan.op, runtime.ws))];
    }
    case 'ws-connect':
      return [await runtime.ownSockets.run(() => onOwnSocket(runtime.baseUrl, plan.params, plan.op, runtime.ws))];
    case 'ws-raw':
      return [await runtime.ownSockets.run(() => rawWebSocket(runtime.baseUrl, plan.frames, runtime.ws))];
  }
}

/** The case as a person reads it: enough to send it again by hand. */
export function describeCase(c: FuzzCase): string {
  const { plan } = c;
  const variant = 'variant' in plan ? plan.variant : plan.transport === 'http-get-apq' ? `hash ${plan.twist}${plan.again ? ', then the hash alone again' : ''}` : undefined;
  const lines = [`case seed ${c.seed}: ${plan.transport} as ${c.role}${variant ? ` (${variant})` : ''}`];
  if ('op' in plan) {
    lines.push(`  document: ${short(plan.op.document, 1500)}`);
    if (plan.op.variables !== undefined) lines.push(`  variables: ${short(jsonText(plan.op.variables), 1500)}`);
    if (plan.op.operationName !== undefined) lines.push(`  operationName: ${plan.op.operationName}`);
    if (plan.op.overLimit) lines.push(`  built to break: ${plan.op.overLimit}`);
    lines.push(`  hostile families: ${plan.op.tags.join(', ') || 'none'}`);
  }
  if (Object.keys(c.headers).length > 0) lines.push(`  headers: ${short(JSON.stringify(c.headers), 300)}`);
  return lines.join('\n');
}
