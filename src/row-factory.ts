import type { Row } from './db';

/**
 * A function turning a statement's values, in column order, into a row object: one object literal
 * with the columns as keys, so every row of a statement gets the same shape, which assigning
 * properties one by one does not give V8. Names are quoted with JSON.stringify, so whatever a
 * name holds stays a string key. The SQLite read paths make one per statement.
 */
export function rowFactory(columns: string[]): (values: unknown[]) => Row {
  const body = columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${body} };`) as (values: unknown[]) => Row;
}
