import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { TranslationState } from '../entities/enums';
import { TranslationRequest } from '../entities/translation-request.entity';

@ObjectType({ description: "What a reader of one language sees in the article's translation box." })
export class TranslationStatus {
  @Field({ description: 'The language asked about, as language and script without region.' })
  language: string;

  @Field(() => TranslationState)
  state: TranslationState;

  @Field(() => Int, { description: 'How many distinct readers asked for this language.' })
  requestCount: number;

  translationId: number | null;
}

@InputType()
export class RequestTranslationInput {
  @Field(() => ID)
  articleId: string;

  @Field({ description: 'BCP 47 tag of the language wanted, e.g. "ja".' })
  language: string;
}

@ObjectType()
export class RequestTranslationPayload {
  @Field(() => TranslationRequest)
  request: TranslationRequest;

  @Field({ description: 'True when this reader had already asked: the count did not change.' })
  alreadyRequested: boolean;
}
