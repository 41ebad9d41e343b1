import { encodeCursor, Position } from './pagination';

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Counting can cost more than the page itself, so it runs only when a client selects totalCount. */
  countTotal: () => Promise<number>;
}

/** Builds a Relay page from `first + 1` fetched rows: the extra row only says that there is a next page. */
export function toPage<T>(
  rows: T[],
  first: number,
  after: Position | null,
  positionOf: (node: T) => Position,
  countTotal: () => Promise<number>,
): Page<T> {
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(positionOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    countTotal,
  };
}
