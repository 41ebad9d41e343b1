import { getMetadataArgsStorage } from 'typeorm';
import type { ColumnMetadataArgs } from 'typeorm/metadata-args/ColumnMetadataArgs';
import { fromSqlBool, fromSqlTime, Row } from './sql';

/**
 * An entity's columns as its class declares them (TypeORM's decorators are the one place a
 * column's name, type and transformer are written): the SELECT list a statement reads them with,
 * and the entity built from the rows it answers.
 */
export interface RowMapping<T> {
  /** `alias.column AS prefixcolumn, ...`: several entities can share one row by their prefixes. */
  select(alias: string, prefix?: string): string;
  /** The entity from a row selected with `select` and the same prefix. */
  read(row: Row, prefix?: string): T;
}

interface MappedColumn {
  name: string;
  property: string;
  convert: (value: unknown) => unknown;
}

export function rowMapping<T extends object>(entity: new () => T, options: { leaveOut?: Array<keyof T & string> } = {}): RowMapping<T> {
  const columns = getMetadataArgsStorage()
    .columns.filter((c) => c.target === entity && !options.leaveOut?.includes(c.propertyName as keyof T & string))
    .map(mapped);
  if (columns.length === 0) throw new Error(`${entity.name} declares no columns`);
  const selects = new Map<string, string>();
  const keys = new Map<string, string[]>();
  return {
    select(alias, prefix = '') {
      const key = `${alias}|${prefix}`;
      let text = selects.get(key);
      if (text === undefined) selects.set(key, (text = columns.map((c) => `${alias}.${c.name} AS ${prefix}${c.name}`).join(', ')));
      return text;
    },
    read(row, prefix = '') {
      let names = keys.get(prefix);
      if (!names) keys.set(prefix, (names = columns.map((c) => `${prefix}${c.name}`)));
      const target = new entity() as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) target[columns[i].property] = columns[i].convert(row[names[i]]);
      return target as T;
    },
  };
}

function mapped(column: ColumnMetadataArgs): MappedColumn {
  const { options, propertyName } = column;
  const name = options.name ?? propertyName;
  const transformer = options.transformer && !Array.isArray(options.transformer) ? options.transformer : undefined;
  if (transformer) return { name, property: propertyName, convert: (value) => transformer.from(value ?? null) };
  const type = options.type;
  let convert: (value: unknown) => unknown;
  if (type === Date) convert = fromSqlTime;
  else if (type === Boolean) convert = options.nullable ? fromSqlBool : (value) => Boolean(fromSqlBool(value));
  else if (type === Number || type === 'integer' || type === 'int') convert = (value) => (value == null ? null : Number(value));
  else convert = (value) => value ?? null;
  return { name, property: propertyName, convert };
}
