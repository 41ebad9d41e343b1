import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export type PublicOrigin = (req: IncomingMessage) => string;

/** A host as a Host header may name one: a name or IPv4 address, or a bracketed IPv6 one, with an optional port. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0].trim() || undefined;
}

/**
 * Where links in feeds, sitemaps, pages and `Article.seo` point: PUBLIC_BASE_URL when it is set;
 * otherwise the origin the request came to, read from X-Forwarded-Proto and X-Forwarded-Host
 * (their first entry, as Express reads them) only behind `trustedProxies` proxies. A Host that is
 * not a host name is never echoed into a link.
 */
export function publicOriginOf(publicBaseUrl: string | undefined, trustedProxies: number): PublicOrigin {
  if (publicBaseUrl !== undefined) return () => publicBaseUrl;
  return (req) => {
    const forwarded = trustedProxies > 0;
    const proto = (forwarded && first(req.headers['x-forwarded-proto'])) || ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
    const host = (forwarded && first(req.headers['x-forwarded-host'])) || req.headers.host || '';
    return `${proto === 'https' ? 'https' : 'http'}://${HOST.test(host) ? host.toLowerCase() : 'localhost'}`;
  };
}
