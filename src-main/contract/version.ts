/** The app's version: shown in the app, sent to the sync server (which may refuse a laptop
 * too old for it), and reported by the server itself. */
export const APP_VERSION = '0.1.0';
