/** Every limit a client's operation is held to, on HTTP and (later) WebSocket alike. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxRootFields: number;
  maxTokens: number;
  maxDocumentChars: number;
  maxCost: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 50,
  maxRootFields: 20,
  maxTokens: 2000,
  maxDocumentChars: 15000,
  maxCost: 5000,
};
