// The Electron window's security settings in one place (DESIGN.md, Security).
import type { WebContents, WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** Permissions the app's page may have: notifications (task reminders), and the camera
 * alone — video, never the microphone — for scanning badge QR codes at a booth. */
export function isAllowedPermission(
  permission: string,
  details: { mediaTypes?: readonly string[] } = {},
): boolean {
  if (permission === 'notifications') return true;
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/** Links the app may hand to the OS: web pages, mail and phone — never file: or custom
 * schemes that could launch programs. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(u.protocol);
  } catch {
    return false;
  }
}

/** The app's own pages are files inside the renderer folder; nothing else is trusted. */
export function isAppUrl(url: string, rendererRootUrl: string): boolean {
  return typeof url === 'string' && url.startsWith(rendererRootUrl);
}

/** No navigation away from the app, no new windows; external links open in the OS. */
export function hardenWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  rendererRootUrl: string,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererRootUrl)) {
      event.preventDefault();
      if (isSafeExternalUrl(url)) openExternal(url);
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}
