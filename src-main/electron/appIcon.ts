// The window's and the dock's icon at run time. Packaged apps carry it in their resources
// (electron-builder.yml › extraResources); `npm start` uses the one `npm run icons` made.
// The installers' own icons (exe, app bundle, AppImage) come from electron-builder.
import fs from 'node:fs';
import path from 'node:path';

export function appIconPath(
  packaged: boolean,
  resourcesPath: string,
  appRoot: string,
  exists: (file: string) => boolean = fs.existsSync,
): string | undefined {
  const candidates = packaged
    ? [path.join(resourcesPath, 'icon.png')]
    : [path.join(appRoot, 'assets', 'build', 'icons', '512x512.png')];
  return candidates.find((file) => exists(file));
}
