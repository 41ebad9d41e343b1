import { Ctx, Query, Resolver } from 'type-graphql';
import { Publication } from '../entities/publication.entity';
import type { Context } from '../src/graphql/context';

@Resolver(() => Publication)
export class PublicationResolver {
  @Query(() => [Publication], { description: 'Every publication, in key order.' })
  publications(@Ctx() ctx: Context): Promise<Publication[]> {
    return ctx.catalog.publications();
  }
}
