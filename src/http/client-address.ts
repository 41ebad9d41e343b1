import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

export type ClientAddress = (req: IncomingMessage) => string;

/**
 * The key a client's limits count against: an IPv4 address (IPv4-mapped IPv6 included) as it is,
 * an IPv6 address by its /64. One subscriber is routinely given a whole /64 and can pick any of its
 * 2^64 addresses, so a limit keyed by the full address would not hold it back.
 */
export function limitKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toNormalizedString()}/64`).toString()}/64`;
}

/**
 * The limit key of a request's client (see limitKey), used by every per-client limit. Behind
 * `trustedProxies` proxies (load balancers) each adds the address it received from to
 * X-Forwarded-For, so the client is that many entries from the right; anything further left was
 * written by the client and is not believed. With none, the header is ignored: a client could put
 * anything in it.
 */
export function clientAddressOf(trustedProxies: number): ClientAddress {
  if (trustedProxies === 0) return (req) => limitKey(req.socket.remoteAddress ?? 'unknown');
  const trust = (_address: string, hop: number) => hop < trustedProxies;
  return (req) => limitKey(proxyaddr(req, trust) || 'unknown');
}
