import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type ClientAddress = (req: IncomingMessage) => string;

/**
 * The address limits count against. Behind `trustedProxies` proxies (load balancers) each adds the
 * address it received from to X-Forwarded-For, so the client is that many entries from the right;
 * anything further left was written by the client and is not believed. With none, the header is
 * ignored: a client could put anything in it.
 */
export function clientAddressOf(trustedProxies: number): ClientAddress {
  if (trustedProxies === 0) return (req) => req.socket.remoteAddress ?? 'unknown';
  const trust = (_address: string, hop: number) => hop < trustedProxies;
  return (req) => proxyaddr(req, trust) || 'unknown';
}
