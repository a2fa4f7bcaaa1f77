// Recognise the codes this server prints, mirroring services/links.py parse_code.
// Anything else is refused and never opened.

const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const PREFIXES = { badge: '/c/', space: '/s/', join: '/j/' };

/**
 * Return {kind, token, path} for one of our codes or a bare badge token, else null.
 * `baseUrl` is the configured public base; the page's own origin always counts too.
 */
export function parseCode(text, baseUrl = '') {
  const value = (text || '').trim();
  if (TOKEN.test(value)) return { kind: 'badge', token: value, path: PREFIXES.badge + value };
  let url;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const origins = new Set([window.location.origin.toLowerCase()]);
  if (baseUrl) {
    try { origins.add(new URL(baseUrl).origin.toLowerCase()); } catch { /* ignore a bad base */ }
  }
  if (!origins.has(url.origin.toLowerCase())) return null;
  for (const [kind, prefix] of Object.entries(PREFIXES)) {
    if (url.pathname.startsWith(prefix)) {
      const token = url.pathname.slice(prefix.length).replace(/\/+$/, '');
      if (TOKEN.test(token)) return { kind, token, path: prefix + token };
    }
  }
  return null;
}
