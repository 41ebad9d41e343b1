import type { Node } from '../../entities/node.interface';
import type { DecodedId } from './global-id';
import type { Loaders } from './loaders';

/** Resolves a global id through the same loaders (and visibility rules) as every other path. */
export class NodeService {
  constructor(private readonly loaders: Loaders) {}

  load({ type, rowId }: DecodedId): Promise<Node | null> {
    switch (type) {
      case 'Article':
        return this.loaders.articleById.load(rowId);
      case 'Author':
        return this.loaders.authorById.load(rowId);
      case 'License':
        return this.loaders.licenseById.load(rowId);
      case 'Image':
        return this.loaders.imageById.load(rowId);
      case 'Publication':
        return this.loaders.publicationById.load(rowId);
      case 'TranslationRequest':
        return this.loaders.translationRequestById.load(rowId);
      // Editors' objects, reached only through the editors' fields.
      case 'Webhook':
      case 'WebhookDelivery':
        return Promise.resolve(null);
    }
  }
}
