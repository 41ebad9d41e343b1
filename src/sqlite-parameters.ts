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
}

/** Statement texts come from code, a few hundred at most; the bound keeps a mistake from growing it. */
const MAX_TEMPLATES = 1000;
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
  template = { pieces, tail: sql.slice(from) };
  if (templates.size >= MAX_TEMPLATES) templates.clear();
  templates.set(sql, template);
  return template;
}

/**
 * The statement text and its values, or undefined where a value is one TypeORM converts in ways
 * of its own (a Date, a function, a list parameter given something other than an array): the
 * caller then binds with TypeORM.
 */
export function bindSqlite(sql: string, params: Record<string, unknown>): [string, unknown[]] | undefined {
  const { pieces, tail } = templateOf(sql);
  if (pieces.length === 0) return [sql, []];
  const values: unknown[] = [];
  let text = '';
  for (const piece of pieces) {
    text += piece.before;
    if (!Object.prototype.hasOwnProperty.call(params, piece.name)) {
      text += piece.token;
      continue;
    }
    const value = params[piece.name];
    if (value instanceof Date || typeof value === 'function') return undefined;
    if (piece.list) {
      if (!Array.isArray(value)) return undefined;
      for (let i = 0; i < value.length; i++) {
        values.push(value[i]);
        text += i === 0 ? '?' : ', ?';
      }
    } else if (typeof value === 'number') {
      text += String(value);
    } else {
      values.push(typeof value === 'boolean' ? +value : value);
      text += '?';
    }
  }
  return [text + tail, values];
}
