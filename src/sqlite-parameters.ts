/**
 * `:name` and `:...list` parameters bound for SQLite exactly as TypeORM's SQLite drivers bind them
 * (a number written into the text, a list as one `?` per item, anything else as one `?`), from the
 * statement's pieces, found once per statement text. TypeORM runs a regular expression over the
 * whole text on every call, and the card statements run to 1.5 KB.
 */
const PARAMETER = /:(\.\.\.)?([A-Za-z0-9_.]+)/g;

interface Piece {
  /** The text before the parameter. */
  before: string;
  /** The parameter as written, kept where no value of that name is given (as TypeORM does). */
  token: string;
  name: string;
  list: boolean;
}

interface Template {
  pieces: Piece[];
  tail: string;
  /**
   * Texts made so far, by the shape of their values (see bindSqlite). A driver looks a text up
   * among its prepared statements, which hashes all of a new string; the same string is hashed once.
   */
  texts: Map<string, string>;
}

/** Statement texts come from code, a few hundred at most; the bound keeps a mistake from growing it. */
const MAX_TEMPLATES = 1000;
/** Numbers are written into the text, so a statement has a text per number it is given. */
const MAX_TEXTS = 64;
const templates = new Map<string, Template>();

function templateOf(sql: string): Template {
  let template = templates.get(sql);
  if (template) return template;
  const pieces: Piece[] = [];
  let from = 0;
  for (const match of sql.matchAll(PARAMETER)) {
    const at = match.index as number;
    pieces.push({ before: sql.slice(from, at), token: match[0], name: match[2], list: match[1] !== undefined });
    from = at + match[0].length;
  }
  template = { pieces, tail: sql.slice(from), texts: new Map() };
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(sql, template);
  return template;
}

/**
 * The statement text and its values, or undefined where a value is one TypeORM converts in ways
 * of its own (a Date, a function, a list parameter given something other than an array): the
 * caller then binds with TypeORM. With `numbersAsValues` a number is bound as a value instead of
 * written into the text, an integer as a BigInt: better-sqlite3 binds a JavaScript number as REAL,
 * a BigInt as INTEGER, which is what the literal was.
 */
export function bindSqlite(sql: string, params: Record<string, unknown>, numbersAsValues = false): [string, unknown[]] | undefined {
  const template = templateOf(sql);
  const { pieces } = template;
  if (pieces.length === 0) return [sql, []];
  const values: unknown[] = [];
  // What each piece becomes in the text: the token as written (no value), a number, or how many `?`.
  const shape: Array<string | number> = [];
  for (const piece of pieces) {
    if (!Object.prototype.hasOwnProperty.call(params, piece.name)) {
      shape.push(piece.token);
      continue;
    }
    const value = params[piece.name];
    if (value instanceof Date || typeof value === 'function') return undefined;
    if (piece.list) {
      if (!Array.isArray(value)) return undefined;
      for (const item of value) values.push(item);
      shape.push(value.length);
    } else if (typeof value === 'number' && numbersAsValues) {
      values.push(Number.isSafeInteger(value) ? BigInt(value) : value);
      shape.push(1);
    } else if (typeof value === 'number') {
      shape.push(`=${String(value)}`);
    } else {
      values.push(typeof value === 'boolean' ? +value : value);
      shape.push(1);
    }
  }
  const key = shape.join(' ');
  let text = template.texts.get(key);
  if (text === undefined) {
    text = textOf(template, shape);
    if (template.texts.size >= MAX_TEXTS) template.texts.clear();
    template.texts.set(key, text);
  }
  return [text, values];
}

function textOf({ pieces, tail }: Template, shape: Array<string | number>): string {
  let text = '';
  pieces.forEach((piece, i) => {
    const part = shape[i];
    text += piece.before;
    if (typeof part === 'number') text += Array.from({ length: part }, () => '?').join(', ');
    else text += part.startsWith('=') ? part.slice(1) : part;
  });
  return text + tail;
}
