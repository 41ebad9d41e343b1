import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const MAX_OPERATION_LABELS = 200;

export interface Metrics {
  registry: Registry;
  sqlStatements: Counter;
  backgroundSqlStatements: Counter;
  requests: Counter<'operation' | 'outcome'>;
  duration: Histogram<'operation'>;
  /** Operation names come from clients: past a bound, new ones share one label so a scraper cannot grow memory. */
  operationLabel(name: string | null | undefined): string;
  /** A gauge read from `read` whenever /metrics is scraped. */
  gauge(name: string, help: string, read: () => number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const seen = new Set<string>();
  return {
    registry,
    sqlStatements: new Counter({
      name: 'gateway_sql_statements_total',
      help: 'SQL statements sent to the database for client requests.',
      registers: [registry],
    }),
    backgroundSqlStatements: new Counter({
      name: 'gateway_background_sql_statements_total',
      help: 'SQL statements of background work: reading the event log for subscribers, delivering webhooks.',
      registers: [registry],
    }),
    requests: new Counter({
      name: 'gateway_graphql_requests_total',
      help: 'GraphQL operations by operation name and outcome.',
      labelNames: ['operation', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'GraphQL operation latency by operation name.',
      labelNames: ['operation'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    operationLabel(name) {
      if (!name) return 'anonymous';
      const clean = name.slice(0, 64);
      if (seen.has(clean)) return clean;
      if (seen.size >= MAX_OPERATION_LABELS) return 'other';
      seen.add(clean);
      return clean;
    },
    gauge(name, help, read) {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
  };
}
