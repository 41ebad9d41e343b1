import type { Row } from './db';
import { rowFactory } from './row-factory';

/**
 * A SELECT rewritten to answer each row as one JSON array: `SELECT a.id, a.slug AS s FROM ...`
 * becomes `SELECT json_array(a.id, a.slug, <any REAL?>) FROM ...`, read back with JSON.parse and
 * a function made for the column names. The sqlite3 driver builds each row object natively, one
 * property (and one new key string) at a time; for the home list's card statement (45 columns, 21
 * rows) that took 383-447 µs against 136-225 µs as JSON. Integers, text and NULL come back as the
 * driver gives them. JSON would round a REAL to 15 digits, so each row also says whether it holds
 * one, and such a row (like a BLOB, which json_array refuses) sends the caller back to the
 * driver's rows (see sqlite3-statements.ts).
 */
export interface JsonRows {
  sql: string;
  names: string[];
  /** The row, or undefined when it holds a REAL. */
  toRow: (json: string) => Row | undefined;
}

/** One column of a select list: its expression and the name SQLite gives it. */
interface Column {
  expression: string;
  name: string;
}

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const ALIASED = new RegExp(`^([\\s\\S]+?)\\s+AS\\s+("?)(${IDENTIFIER})\\2$`, 'i');
const COLUMN_REFERENCE = new RegExp(`^(?:${IDENTIFIER}\\.)?(${IDENTIFIER})$`);
/** A default SQLite build lets a function take at most 127 arguments; the REAL flag is one more. */
const MAX_COLUMNS = 100;
const FROM = /\sFROM\b/iy;

/**
 * The rewritten statement, or undefined when `sql` is not a plain `SELECT list FROM ...` of
 * column references: stars, DISTINCT, compound selects and expressions keep the driver's rows.
 */
export function jsonRows(sql: string): JsonRows | undefined {
  const head = /^\s*SELECT\s+/i.exec(sql);
  if (!head || /^\s*(DISTINCT|ALL)\b/i.test(sql.slice(head[0].length))) return undefined;
  if (/\b(UNION|INTERSECT|EXCEPT)\b/i.test(sql)) return undefined;
  const split = splitSelectList(sql, head[0].length);
  if (!split || split.items.length > MAX_COLUMNS) return undefined;
  const columns: Column[] = [];
  for (const item of split.items) {
    const column = namedColumn(item.trim());
    if (!column) return undefined;
    columns.push(column);
  }
  const names = columns.map((c) => c.name);
  const build = rowFactory(names);
  const expressions = columns.map((c) => c.expression);
  const holdsReal = expressions.map((e) => `typeof(${e}) = 'real'`).join(' OR ');
  return {
    sql: `SELECT json_array(${expressions.join(', ')}, ${holdsReal}) AS json_row ${sql.slice(split.from)}`,
    names,
    toRow: (json) => {
      const values = JSON.parse(json) as unknown[];
      return values[names.length] === 1 ? undefined : build(values);
    },
  };
}

function namedColumn(item: string): Column | undefined {
  const aliased = ALIASED.exec(item);
  const expression = aliased ? aliased[1].trim() : item;
  const reference = COLUMN_REFERENCE.exec(expression);
  if (!reference) return undefined;
  return { expression, name: aliased ? aliased[3] : reference[1] };
}

/**
 * The items of the select list that starts at `start`, split on its top-level commas, and where
 * its FROM begins. Quoted text and parentheses are stepped over whole.
 */
function splitSelectList(sql: string, start: number): { items: string[]; from: number } | undefined {
  const items: string[] = [];
  let depth = 0;
  let itemStart = start;
  for (let i = start; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '[') {
      const end = sql.indexOf(']', i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(') {
      depth += 1;
    } else if (c === ')') {
      depth -= 1;
    } else if (depth === 0 && c === ',') {
      items.push(sql.slice(itemStart, i));
      itemStart = i + 1;
    } else if (depth === 0 && /\s/.test(c)) {
      FROM.lastIndex = i;
      if (FROM.test(sql)) {
        items.push(sql.slice(itemStart, i));
        return { items, from: i + 1 };
      }
    }
  }
  return undefined;
}
