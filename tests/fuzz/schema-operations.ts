import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  GraphQLArgument,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isUnionType,
  getNullableType,
} from 'graphql';
import type { OperationLimits } from '../../src/graphql/checks/limits';
import {
  cursor,
  CursorKind,
  dateTime,
  EnumName,
  globalId,
  hostileString,
  key,
  languageTag,
  NodeType,
  pageSize,
  RawNumber,
  searchQuery,
  section,
  sequenceNumber,
  slug,
  Tag,
  url,
  Value,
  World,
} from './hostile-values';
import { Rng } from './rng';

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** A root field as it appears in the answer: `key` is its alias or its name. */
export interface RootField {
  key: string;
  field: string;
}

export interface FuzzOperation {
  kind: OperationKind;
  document: string;
  variables?: Record<string, Value>;
  operationName?: string;
  roots: RootField[];
  /** Set when the operation was built to break this limit; the gateway must refuse it. */
  overLimit?: string;
  /** The hostile families its values came from. */
  tags: string[];
}

export function loadSchema(): GraphQLSchema {
  return buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A value as a GraphQL literal. */
export function literal(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof RawNumber) return value.text;
  if (value instanceof EnumName) return NAME.test(value.name) ? value.name : JSON.stringify(value.name);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return `{${Object.keys(value)
    .map((k) => `${k}: ${literal(value[k])}`)
    .join(', ')}}`;
}

/** A value as JSON text, with raw numbers written as they are (JSON.stringify would make 1e999 null). */
export function jsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (value instanceof EnumName) return JSON.stringify(value.name);
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${jsonText(record[k])}`)
    .join(',')}}`;
}

const ID_OF_ARGUMENT: Record<string, NodeType> = {
  articleId: 'Article',
  originalId: 'Article',
  relatedIds: 'Article',
  authorIds: 'Author',
  heroImageId: 'Image',
  webhookId: 'Webhook',
};

const ID_OF_FIELD: Record<string, NodeType> = {
  'Query.article': 'Article',
  'Query.articleForEditor': 'Article',
  'Mutation.publishArticle': 'Article',
  'Mutation.unpublishArticle': 'Article',
  'Mutation.updateArticle': 'Article',
  'Mutation.updateAuthor': 'Author',
  'Mutation.updateImage': 'Image',
  'Mutation.deleteWebhook': 'Webhook',
  'Mutation.disableWebhook': 'Webhook',
  'Mutation.enableWebhook': 'Webhook',
  'Mutation.rotateWebhookSecret': 'Webhook',
  'Mutation.updateWebhook': 'Webhook',
  'Mutation.setTranslationRequestStatus': 'TranslationRequest',
};

function cursorKind(rng: Rng, field: string): CursorKind {
  if (field === 'Query.articles') return rng.pick(['pd', 'pa'] as const);
  if (field === 'Author.articles') return 'pd';
  if (field === 'Query.search') return 's';
  if (field === 'Query.authors') return 'au';
  if (field === 'Query.translationRequests') return 'translation-request';
  return 'event';
}

const ODD_ALIASES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'then', 'length'];
const EXTRA_FIELDS = ['__proto__', 'constructor', 'bogus', 'status', 'id', 'synthetic', 'publishedAt'];

export interface GeneratorOptions {
  schema: GraphQLSchema;
  world: World;
  limits: OperationLimits;
  /** How likely an operation is of each kind. */
  kinds: ReadonlyArray<readonly [number, OperationKind]>;
  /** The share of operations built to break a limit. */
  overLimitShare: number;
}

/**
 * Builds one operation from the schema, valid in shape (real fields, arguments, nested selections
 * within the depth limit, fragments, aliases, variables) with argument values drawn from the
 * hostile sets of hostile-values.ts; a share of operations breaks one of the gateway's limits.
 */
export function generateOperation(rng: Rng, options: GeneratorOptions): FuzzOperation {
  return new OperationBuilder(rng, options).build();
}

class OperationBuilder {
  private readonly tags = new Set<string>();
  private readonly tag: Tag = (family) => void this.tags.add(family);
  private readonly variableDefinitions: string[] = [];
  private readonly variables: Record<string, Value> = {};
  private readonly fragments: string[] = [];
  private fieldsLeft: number;
  private aliasesLeft: number;

  constructor(
    private readonly rng: Rng,
    private readonly options: GeneratorOptions,
  ) {
    this.fieldsLeft = rng.int(3, 40);
    this.aliasesLeft = rng.int(0, options.limits.maxAliases);
  }

  build(): FuzzOperation {
    const kind = this.rng.weighted(this.options.kinds);
    if (this.rng.chance(this.options.overLimitShare)) return this.overLimit(kind);
    const root = this.rootType(kind);
    const depth = this.rng.weighted([
      [5, this.rng.int(2, 4)],
      [3, this.rng.int(5, 7)],
      [1, this.rng.int(8, this.options.limits.maxDepth)],
    ] as const);
    const count = kind === 'subscription' ? this.rng.weighted([[19, 1], [1, 2]] as const) : this.rng.weighted([[6, 1], [3, 2], [1, 3]] as const);
    const roots: RootField[] = [];
    const parts: string[] = [];
    for (const field of this.rng.sample(this.rootFields(root, kind), count)) {
      const { text, key } = this.field(root, field, depth, 1, true);
      if (text === undefined) continue;
      roots.push({ key, field: field.name });
      parts.push(text);
    }
    if (kind === 'query' && this.rng.chance(0.02)) {
      this.tag('introspection');
      parts.push(this.rng.pick(['__schema { types { name } }', '__type(name: "Article") { fields { name } }']));
    }
    if (parts.length === 0) parts.push('__typename');
    const name = this.rng.chance(0.5) ? `Op${this.rng.int(0, 999)}` : undefined;
    const header =
      kind === 'query' && !name && this.variableDefinitions.length === 0 && this.rng.chance(0.5)
        ? ''
        : `${kind}${name ? ` ${name}` : ''}${this.variableDefinitions.length ? `(${this.variableDefinitions.join(', ')})` : ''} `;
    const definitions = [`${header}{ ${this.rootSelection(root, parts)} }`, ...this.fragments];
    let operationName = name && this.rng.chance(0.3) ? name : undefined;
    if (this.rng.chance(0.04)) {
      this.tag('multiple-operations');
      definitions.push('query Other { __typename }');
      operationName = this.rng.pick([name, 'Other', undefined, 'Missing']);
    }
    return {
      kind,
      document: definitions.join('\n'),
      variables: Object.keys(this.variables).length > 0 || this.rng.chance(0.5) ? this.variables : undefined,
      operationName,
      roots,
      tags: [...this.tags],
    };
  }

  private rootType(kind: OperationKind): GraphQLObjectType {
    const type = this.options.schema.getRootType(kind as never);
    if (!type) throw new Error(`the schema has no ${kind} type`);
    return type;
  }

  /** Root fields to choose from; requestTranslation, the one public write, is drawn more often. */
  private rootFields(root: GraphQLObjectType, kind: OperationKind): Array<GraphQLField<unknown, unknown>> {
    const fields = Object.values(root.getFields());
    if (kind !== 'mutation') return fields;
    const requestTranslation = fields.filter((f) => f.name === 'requestTranslation');
    return [...fields, ...requestTranslation, ...requestTranslation, ...requestTranslation];
  }

  /** Root selections, sometimes inside a fragment of the root type. */
  private rootSelection(root: GraphQLObjectType, parts: string[]): string {
    if (!this.rng.chance(0.1)) return parts.join(' ');
    this.tag('fragment:root');
    if (this.rng.chance(0.5)) return `... on ${root.name} { ${parts.join(' ')} }`;
    const name = `R${this.fragments.length}`;
    this.fragments.push(`fragment ${name} on ${root.name} { ${parts.join(' ')} }`);
    return `...${name}`;
  }

  /**
   * One field with its arguments and, for objects, a selection `depth - 1` deep. `weight` is how
   * many times the field is resolved, as the cost estimate counts: nested `first` arguments are
   * kept small once a field is resolved many times, so that most operations stay within the cost budget.
   */
  private field(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, depth: number, weight: number, root = false) {
    const named = getNamedType(field.type);
    if (!isLeafType(named) && depth <= 1) return { text: undefined, key: field.name };
    this.fieldsLeft--;
    const args = this.arguments(`${parent.name}.${field.name}`, field.args, weight);
    let factor = 1;
    if (typeof args.first === 'number') factor = Math.max(args.first, 0);
    else if (parent.name.endsWith('Connection') && field.name === 'edges') factor = 1;
    else if (isListType(getNullableType(field.type))) factor = 5;
    const alias = this.alias(root);
    const directive = this.directive();
    const selection = isLeafType(named) ? '' : ` { ${this.selection(named as GraphQLCompositeType, depth - 1, weight * factor)} }`;
    return { text: `${alias ? `${alias}: ` : ''}${field.name}${args.text}${directive}${selection}`, key: alias ?? field.name };
  }

  private selection(type: GraphQLCompositeType, depth: number, weight: number): string {
    if (isUnionType(type) || isInterfaceType(type)) {
      const parts = ['__typename'];
      if (isInterfaceType(type) && this.rng.chance(0.5)) parts.push('id');
      for (const possible of this.rng.sample(this.options.schema.getPossibleTypes(type), this.rng.int(1, 3))) {
        this.tag('fragment:inline');
        parts.push(`... on ${possible.name} { ${this.objectSelection(possible, depth, weight)} }`);
      }
      return parts.join(' ');
    }
    return this.objectSelection(type, depth, weight);
  }

  private objectSelection(type: GraphQLObjectType, depth: number, weight: number): string {
    const fields = Object.values(type.getFields());
    const wanted = this.rng.weighted([
      [4, 1],
      [3, 2],
      [2, 3],
      [1, 5],
    ] as const);
    const parts: string[] = [];
    for (const field of this.rng.sample(fields, wanted)) {
      if (this.fieldsLeft <= 0 && parts.length > 0) break;
      const composite = !isLeafType(getNamedType(field.type));
      // Past this many resolutions even a few more items would break the cost budget.
      if (composite && weight > 300) continue;
      const { text } = this.field(type, field, depth, weight);
      if (text !== undefined) parts.push(text);
    }
    // Clients ask for ids all the time; an id is also how a draft that should not be there shows.
    if ('id' in type.getFields() && this.rng.chance(0.3)) parts.push('id');
    if (parts.length === 0 || this.rng.chance(0.1)) parts.push('__typename');
    if (this.rng.chance(0.08)) {
      this.tag('fragment:inline');
      return `... on ${type.name} { ${parts.join(' ')} }`;
    }
    if (this.rng.chance(0.06)) {
      this.tag('fragment:named');
      const name = `F${this.fragments.length}`;
      this.fragments.push(`fragment ${name} on ${type.name} { ${parts.join(' ')} }`);
      return this.rng.chance(0.2) ? `...${name} ...${name}` : `...${name}`;
    }
    return parts.join(' ');
  }

  private alias(root: boolean): string | undefined {
    if (this.aliasesLeft <= 0 || !this.rng.chance(root ? 0.3 : 0.12)) return undefined;
    this.aliasesLeft--;
    this.tag('alias');
    return this.rng.chance(0.15) ? (this.tag('alias:odd'), this.rng.pick(ODD_ALIASES)) : `a${this.rng.int(0, 99)}`;
  }

  private directive(): string {
    if (!this.rng.chance(0.05)) return '';
    this.tag('directive');
    const condition = this.rng.chance(0.5) ? String(this.rng.chance(0.5)) : this.variable('Boolean!', this.rng.chance(0.9) ? this.rng.chance(0.5) : 'yes');
    return ` @${this.rng.pick(['include', 'skip'])}(if: ${condition})`;
  }

  /** A variable of `type` holding `value`: its definition is added to the operation. */
  private variable(type: string, value: Value | undefined): string {
    const name = `v${this.variableDefinitions.length}`;
    this.variableDefinitions.push(`$${name}: ${type}`);
    if (value !== undefined) this.variables[name] = value;
    return `$${name}`;
  }

  private arguments(where: string, args: readonly GraphQLArgument[], weight: number): { text: string; first?: number } {
    const parts: string[] = [];
    let first: number | undefined;
    for (const arg of args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (required ? this.rng.chance(0.02) : !this.rng.chance(arg.name === 'after' || arg.name === 'first' ? 0.6 : 0.45)) {
        if (required) this.tag('argument:missing');
        continue;
      }
      // Deep in a selection a large page multiplies the cost of everything below it.
      const value = arg.name === 'first' && weight > 20 && this.rng.chance(0.9) ? this.rng.int(1, 3) : this.value(arg.type, where, arg.name);
      if (arg.name === 'first' && typeof value === 'number') first = value;
      parts.push(`${arg.name}: ${this.argumentText(arg.type, value)}`);
    }
    if (this.rng.chance(0.02)) {
      this.tag('argument:unknown');
      parts.push(`bogus: ${literal(hostileString(this.rng, this.tag))}`);
    }
    return { text: parts.length ? `(${parts.join(', ')})` : '', first };
  }

  /** An argument's value, inline or (more often when long) through a variable, now and then of the wrong type. */
  private argumentText(type: GraphQLInputType, value: Value): string {
    const long = JSON.stringify(value)?.length > 1000;
    if (!this.rng.chance(long ? 0.9 : 0.4)) return literal(value);
    this.tag('variable');
    const declared = String(type);
    const roll = this.rng.next();
    if (roll < 0.03) {
      this.tag('variable:wrong-type');
      return this.variable(this.rng.pick([declared.replace(/!$/, ''), 'String', 'Int', '[String]', 'ID!', 'Boolean']), value);
    }
    if (roll < 0.05) {
      this.tag('variable:no-value');
      return this.variable(declared, undefined);
    }
    if (roll < 0.06) {
      this.tag('variable:undeclared');
      return '$undeclared';
    }
    return this.variable(declared, value);
  }

  private value(type: GraphQLInputType, where: string, name: string): Value {
    if (isNonNullType(type)) {
      if (this.rng.chance(0.02)) return (this.tag('null:required'), null);
      return this.value(type.ofType, where, name);
    }
    if (this.rng.chance(0.04)) return (this.tag('null'), null);
    if (this.rng.chance(0.02)) return (this.tag('wrong-type'), this.rng.pick<Value>([{ a: 1 }, [1, 2], true, 3.5, 'text', new RawNumber('1e999')]));
    if (isListType(type)) {
      if (this.rng.chance(0.1)) return this.value(type.ofType, where, name);
      const length = this.rng.chance(0.02) ? (this.tag('list:long'), this.rng.int(200, 1000)) : this.rng.int(0, 3);
      return Array.from({ length }, () => this.value(type.ofType, where, name));
    }
    if (isInputObjectType(type)) {
      const object: Record<string, Value> = Object.create(null);
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (required ? this.rng.chance(0.03) : !this.rng.chance(0.5)) {
          if (required) this.tag('input:missing-field');
          continue;
        }
        object[field.name] = this.value(field.type, where, field.name);
      }
      if (this.rng.chance(0.04)) {
        this.tag('input:extra-field');
        object[this.rng.pick(EXTRA_FIELDS)] = this.rng.pick<Value>(['PUBLISHED', true, 1, { polluted: true }]);
      }
      return object;
    }
    if (isEnumType(type)) {
      const values = type.getValues().map((v) => v.name);
      if (this.rng.chance(0.9)) return new EnumName(this.rng.pick(values));
      this.tag('enum:invalid');
      return this.rng.pick<Value>([new EnumName('BOGUS'), new EnumName(this.rng.pick(values).toLowerCase()), this.rng.pick(values), 1]);
    }
    return this.scalar(type.name, where, name);
  }

  private scalar(scalar: string, where: string, name: string): Value {
    const { rng, tag } = this;
    const { world } = this.options;
    switch (scalar) {
      case 'ID':
        return globalId(rng, world, ID_OF_ARGUMENT[name] ?? ID_OF_FIELD[where], tag);
      case 'Int':
        return name === 'first' ? pageSize(rng, tag) : sequenceNumber(rng, tag);
      case 'Boolean':
        return rng.chance(0.5);
      case 'DateTimeISO':
        return dateTime(rng, tag);
      default:
        break;
    }
    switch (name) {
      case 'slug':
      case 'authorSlug':
        return slug(rng, world, tag);
      case 'language':
        return languageTag(rng, world, tag);
      case 'after':
        return cursor(rng, world, cursorKind(rng, where), tag);
      case 'query':
        return searchQuery(rng, world, tag);
      case 'section':
        return section(rng, world, tag);
      case 'licenseKey':
        return key(rng, world.keys.licenses, tag);
      case 'publicationKey':
        return key(rng, world.keys.publications, tag);
      case 'key':
        return key(rng, where === 'Query.license' ? world.keys.licenses : world.keys.images, tag);
      case 'url':
      case 'sourceUrl':
        return url(rng, world, tag);
      default:
        return hostileString(rng, tag);
    }
  }

  /** An operation built to break one limit; otherwise valid, so that only the limit can refuse it. */
  private overLimit(kind: OperationKind): FuzzOperation {
    const { limits } = this.options;
    const pick = this.rng.pick([
      'maxDepth',
      'maxAliases',
      'maxRootFields',
      'maxTokens',
      'maxDocumentChars',
      'maxDirectives',
      'maxCost',
      'solitaryField',
      'fragmentCycle',
    ] as const);
    const operation = (document: string, roots: RootField[] = [{ key: 'article', field: 'article' }]): FuzzOperation => ({
      kind: pick === 'solitaryField' ? 'mutation' : kind === 'mutation' ? 'query' : kind,
      document,
      roots,
      overLimit: pick,
      tags: [`limit:${pick}`],
    });
    const keyword = kind === 'subscription' ? 'subscription' : 'query';
    const articleRoot = kind === 'subscription' ? 'articlePublished { article' : `article(slug: "${this.options.world.slugs.published[0]}")`;
    const close = kind === 'subscription' ? ' }' : '';
    const extra = this.rng.int(1, 3);
    switch (pick) {
      case 'maxDepth': {
        const levels = limits.maxDepth + extra;
        return operation(`${keyword} { ${articleRoot} { ${'translationOf { '.repeat(levels)}slug${' }'.repeat(levels)} }${close} }`);
      }
      case 'maxAliases':
        return operation(
          `${keyword} { ${articleRoot} { ${Array.from({ length: limits.maxAliases + extra }, (_, i) => `a${i}: slug`).join(' ')} }${close} }`,
        );
      case 'maxRootFields':
        return operation(`query { ${'licenses { key } '.repeat(limits.maxRootFields + extra)}}`, [{ key: 'licenses', field: 'licenses' }]);
      case 'maxTokens':
        return operation(`${keyword} { ${articleRoot} { ${'slug '.repeat(limits.maxTokens)}}${close} }`);
      case 'maxDocumentChars':
        return operation(`${keyword} { ${articleRoot} { slug }${close} }\n#${'x'.repeat(limits.maxDocumentChars)}`);
      case 'maxDirectives':
        return operation(`${keyword} { ${articleRoot} { slug ${'@include(if: true) '.repeat(limits.maxDirectives + extra)}}${close} }`);
      case 'maxCost':
        return operation(
          `query { articles(first: 100) { edges { node { related(first: 100) { authors { name } translations { slug } } } } } }`,
          [{ key: 'articles', field: 'articles' }],
        );
      case 'solitaryField': {
        const id = this.options.world.ids.Article[0];
        const ask = (alias: string) => `${alias}: requestTranslation(input: { articleId: "${id}", language: "ja" }) { alreadyRequested }`;
        return operation(
          this.rng.chance(0.5) ? `mutation { ${ask('a')} ${ask('b')} }` : `mutation { ${ask('a')} }\nquery Other { __typename }`,
          [{ key: 'a', field: 'requestTranslation' }, { key: 'b', field: 'requestTranslation' }],
        );
      }
      case 'fragmentCycle':
        return operation('query { ...A }\nfragment A on Query { licenses { key } ...B }\nfragment B on Query { ...A }', [
          { key: 'licenses', field: 'licenses' },
        ]);
    }
  }
}
