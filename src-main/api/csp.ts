/** The Content-Security-Policy for the app's pages, in both shells (web server header,
 * Electron response header). src-renderer/index.html carries the same policy as a meta
 * tag for the file:// case; tests/unit/csp.test.ts keeps the two equal. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
