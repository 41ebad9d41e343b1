import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type Redis from 'ioredis';
import type http from 'node:http';
import { cachePolicyPlugin } from '../cache/cache-policy';
import { responseCachePlugin } from '../cache/response-cache';
import type { ContentVersion } from '../cache/content-version';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OperationChecks } from './checks/operation-checks';
import type { Context } from './context';
import { RedisPersistedQueryCache, registrationLimit } from './persisted-query-cache';
import { admissionPlugin, authenticationStep } from './plugins/admission.plugin';
import { errorMasking } from './plugins/error-masking.plugin';
import { metricsPlugin } from './plugins/metrics.plugin';
import { mutationsReadPrimaryPlugin } from './plugins/mutations-read-primary.plugin';

export interface ApolloDeps {
  config: Pick<Config, 'introspection' | 'nodeEnv' | 'limits' | 'responseCacheBytes' | 'redisKeyPrefix'>;
  schema: GraphQLSchema;
  checks: OperationChecks;
  httpServer: http.Server;
  version: ContentVersion;
  redis: Redis | undefined;
  /** Plain reads go to a replica: mutations are then switched to the primary. */
  readsFromReplica: boolean;
  log: Logger;
  metrics: Metrics;
}

/** Apollo Server with the gateway's operation checks, cache policy, response cache, metrics and masking. */
export function createApollo({ config, schema, checks, httpServer, version, redis, readsFromReplica, log, metrics }: ApolloDeps): ApolloServer<Context> {
  const masking = errorMasking(log);
  return new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: checks.parseOptions,
    ...(redis && { persistedQueries: { cache: new RedisPersistedQueryCache(redis, `${config.redisKeyPrefix}apq:`, log) } }),
    validationRules: checks.validationRules,
    formatError: masking.formatError,
    plugins: [
      // The checks that need no SQL come before the API key lookup: a refused document costs the database nothing.
      admissionPlugin(checks, config.limits.maxCost, [authenticationStep, ...(redis ? [registrationLimit(redis, config.redisKeyPrefix, log)] : [])]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's plugin instruments every field resolver; the policy is computed per operation instead.
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin(schema),
      ...(config.responseCacheBytes > 0 ? responseCachePlugin(config.responseCacheBytes, version, metrics) : []),
      metricsPlugin(metrics),
      masking.plugin,
      ...(readsFromReplica ? [mutationsReadPrimaryPlugin()] : []),
    ],
  });
}
