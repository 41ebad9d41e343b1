import ipaddr from 'ipaddr.js';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * Webhooks must not become a way to reach the gateway's own network (SSRF): unless allowed, an
 * address is acceptable only in ipaddr.js's "unicast" range, i.e. not loopback, private, link-local,
 * unique-local, carrier-grade NAT, multicast, reserved or unspecified (IPv4-mapped IPv6 included).
 */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

/** What is wrong with a webhook URL, or null. Resolves the host name now; delivery checks again. */
export async function urlProblem(value: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `names a host that does not resolve ("${host}")`;
  }
  const inside = addresses.find((a) => !isPublicAddress(a));
  return inside ? `points to a loopback or private address (${inside}); set WEBHOOK_ALLOW_PRIVATE_URLS=true to allow that` : null;
}

/**
 * A DNS lookup for outgoing webhook requests that refuses private addresses at connection time,
 * so that a name that resolved to a public address at registration cannot later lead inside.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, options, (err, address, family) => {
      if (err || allowPrivate) return (callback as (...args: unknown[]) => void)(err, address, family);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const inside = list.find((a) => !isPublicAddress(a));
      if (inside) return (callback as (...args: unknown[]) => void)(new Error(`refused to connect to the private address ${inside}`), address, family);
      (callback as (...args: unknown[]) => void)(null, address, family);
    });
  };
}
