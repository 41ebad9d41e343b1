import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { TranslationRequestStatus } from '../entities/enums';
import { TranslationRequest } from '../entities/translation-request.entity';
import { PageInfo } from './connection.types';

@InputType({ description: 'A translation of a published original, published at once.' })
export class PublishTranslationInput {
  @Field(() => ID, { description: 'The original article.' })
  originalId: string;

  @Field({ description: 'BCP 47 tag of the language translated into; kept as language and script, without region ("ja-JP" becomes "ja").' })
  language: string;

  @Field()
  slug: string;

  @Field()
  title: string;

  @Field(() => String, { nullable: true })
  displayTitle?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => [String], { description: 'Paragraphs, in order.' })
  body: string[];

  @Field(() => [ID], { nullable: true, description: "Who is credited; the original's authors when not given." })
  authorIds?: string[] | null;
}

@ArgsType()
export class TranslationQueueArgs {
  @Field(() => TranslationRequestStatus, { nullable: true, description: 'Only requests in this status.' })
  status?: TranslationRequestStatus | null;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (20 when not given).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ObjectType()
export class TranslationRequestEdge {
  @Field()
  cursor: string;

  @Field(() => TranslationRequest)
  node: TranslationRequest;
}

@ObjectType({ description: 'Translation requests, oldest first.' })
export class TranslationRequestConnection {
  @Field(() => [TranslationRequestEdge])
  edges: TranslationRequestEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  countTotal: () => Promise<number>;
}
