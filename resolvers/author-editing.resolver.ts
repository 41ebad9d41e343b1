import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { Author } from '../entities/author.entity';
import { ApiKeyRole } from '../entities/enums';
import type { Context } from '../src/graphql/context';

@InputType()
export class CreateAuthorInput {
  @Field({ description: 'Lowercase letters and digits separated by single hyphens; unique among authors.' })
  slug: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  bio?: string | null;

  @Field(() => String, { nullable: true })
  affiliation?: string | null;
}

@InputType({ description: 'Fields to change; fields left out stay as they are, and null clears an optional one.' })
export class UpdateAuthorInput {
  @Field(() => String, { nullable: true })
  slug?: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  bio?: string | null;

  @Field(() => String, { nullable: true })
  affiliation?: string | null;
}

@Resolver()
export class AuthorEditingResolver {
  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Author)
  createAuthor(@Arg('input') input: CreateAuthorInput, @Ctx() ctx: Context): Promise<Author> {
    return ctx.authorEditor.create(input);
  }

  @Authorized(ApiKeyRole.EDITOR)
  @Mutation(() => Author)
  updateAuthor(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAuthorInput, @Ctx() ctx: Context): Promise<Author> {
    return ctx.authorEditor.update(id, input);
  }
}
