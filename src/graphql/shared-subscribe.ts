import { createSourceEventStream, execute, ExecutionArgs, ExecutionResult } from 'graphql';
import type { SharedWork } from '../events/shared-work';
import type { Context } from './context';

/**
 * graphql-js's `subscribe`, except that an event's payload is executed once for every subscription
 * with the same `sharing` key (the same document, operation, variables and visibility) and handed
 * to each of them: with thousands of subscribers to a few operations, an event costs a few
 * executions instead of one per subscriber. Each execution starts from fresh loaders.
 */
export async function sharedSubscribe(
  args: ExecutionArgs,
  shared: SharedWork,
  sharing: string | undefined,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const run = (event: unknown) => {
    (args.contextValue as Context).renew();
    return execute({ ...args, rootValue: event });
  };
  return new Payloads(source[Symbol.asyncIterator](), (event) => {
    const sequence = (event as { sequence?: unknown } | null)?.sequence;
    if (sharing === undefined || typeof sequence !== 'number') return run(event);
    return shared.once(`${sequence} ${sharing}`, async () => run(event));
  });
}

/** Each event of `source` as its payload; ending it ends the source. */
class Payloads implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly payload: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const result = await this.source.next();
    if (result.done) return { value: undefined, done: true };
    return { value: await this.payload(result.value), done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
