import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { License } from '../entities/license.entity';
import type { Context } from '../src/graphql/context';

@Resolver(() => License)
export class LicenseResolver {
  @Query(() => License, { nullable: true })
  license(@Arg('key') key: string, @Ctx() ctx: Context): Promise<License | null> {
    return ctx.loaders.licenseByKey.load(key);
  }

  @Query(() => [License], { description: 'Every license, in key order.' })
  licenses(@Ctx() ctx: Context): Promise<License[]> {
    return ctx.catalog.licenses();
  }
}
