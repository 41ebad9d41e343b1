import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Node } from '../entities/node.interface';
import type { Context } from '../src/graphql/context';
import { fromGlobalId } from '../src/graphql/global-id';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or is not public.' })
  node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    return ctx.nodes.load(fromGlobalId(id));
  }
}
