import ipaddr from 'ipaddr.js';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/** The IPv6 addresses assigned for use on the public internet; the rest is unallocated or special. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Webhooks must not become a way to reach the gateway's own network (SSRF): unless allowed, an
 * address is acceptable only in ipaddr.js's "unicast" range, i.e. not loopback, private, link-local,
 * unique-local, carrier-grade NAT, multicast, reserved or unspecified (IPv4-mapped IPv6 included);
 * an IPv6 address must moreover be global unicast, which ipaddr.js does not check (it calls
 * unallocated space such as 4000::/3 "unicast" too).
 */
export function isPublicAddress(address: string): boolean {
  try {
    const ip = ipaddr.process(address);
    if (ip.range() !== 'unicast') return false;
    return ip.kind() === 'ipv4' || (ip as ipaddr.IPv6).match(GLOBAL_UNICAST);
  } catch {
    return false;
  }
}

/** A URL's host without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Why a request to this URL must not be sent, when its host is an IP literal that is not public
 * (else null). Node connects to a literal without any lookup, so guardedLookup never sees it: a
 * literal accepted while private addresses were allowed would otherwise still be reached after
 * they no longer are.
 */
export function refusedLiteral(url: URL, allowPrivate: boolean): string | null {
  const host = hostOf(url);
  if (allowPrivate || isIP(host) === 0 || isPublicAddress(host)) return null;
  return `refused to connect to the private address ${host}`;
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
  const host = hostOf(url);
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
