import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({ description: 'An object with a global, opaque id that `node(id)` can fetch again.' })
export abstract class Node {
  @Field(() => ID)
  id: string;
}
