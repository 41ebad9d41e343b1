import type { Row } from './db';

/**
 * A SELECT rewritten to answer each row as one JSON array: `SELECT a.id, a.slug AS s FROM ...`
 * becomes `SELECT json_array(a.id, a.slug) FROM ...`, read back with JSON.parse and a function
 * made for the column names. The sqlite3 driver builds each row object natively, one property
 * (and one new key string) at a time; for the home list's card statement (45 columns, 21 rows)
 * that took 383-447 µs against 136-225 µs as JSON. Values keep their types: SQLite integers and
 * text come back as they would, NULL as null. A BLOB makes the statement fail and a REAL would
 * come back rounded to 15 digits; the schema has neither, and the caller checks the first rows of
 * each statement before using this form (see sqlite3-statements.ts).
 */
export interface JsonRows {
  sql: string;
  names: string[];
  toRow: (json: string) => Row;
}

/** One column of a select list: its expression and the name SQLite gives it. */
interface Column {
  expression: string;
  name: string;
}

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const ALIASED = new RegExp(`^([\\s\\S]+?)\\s+AS\\s+("?)(${IDENTIFIER})\\2$`, 'i');
const COLUMN_REFERENCE = new RegExp(`^(?:${IDENTIFIER}\\.)?(${IDENTIFIER})$`);
/** json_array takes at most this many arguments in a default SQLite build. */
const MAX_COLUMNS = 100;
const FROM = /\sFROM\b/iy;

/**
 * The rewritten statement, or undefined when `sql` is not a plain `SELECT list FROM ...` whose
 * columns are all named (an alias or a bare column reference): stars, DISTINCT, compound
 * selects and unnamed expressions keep the driver's own rows.
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
  const build = new Function('v', `return { ${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ')} };`) as (
    values: unknown[],
  ) => Row;
  return {
    sql: `SELECT json_array(${columns.map((c) => c.expression).join(', ')}) AS json_row ${sql.slice(split.from)}`,
    names,
    toRow: (json) => build(JSON.parse(json) as unknown[]),
  };
}

function namedColumn(item: string): Column | undefined {
  if (item.includes('*')) return undefined;
  const aliased = ALIASED.exec(item);
  if (aliased) return { expression: aliased[1], name: aliased[3] };
  const reference = COLUMN_REFERENCE.exec(item);
  return reference ? { expression: item, name: reference[1] } : undefined;
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
