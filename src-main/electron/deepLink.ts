// Invite links open the app: `leadbook://join?…` (a team server or booth hub) and
// `leadbook://pair-file?…` (sync by file), clicked in WeChat, e-mail or a browser. The OS
// hands the link over on the command line (Windows, Linux) or as an `open-url` event
// (macOS). The app never joins by itself — the link is shown in Settings › Team sync ›
// Join a team, with whom it would share this laptop's data, and the person decides.
import {
  FILE_PAIR_PREFIX,
  JOIN_LINK_PREFIX,
  parseFilePairLink,
  parseJoinLink,
} from '../contract/index.js';

export const DEEP_LINK_SCHEME = 'leadbook';

/** The first well-formed invite or pairing link among the arguments, if any. */
export function inviteLinkFrom(args: readonly string[]): string | null {
  for (const arg of args) {
    const lower = arg.toLowerCase();
    if (!lower.startsWith(JOIN_LINK_PREFIX) && !lower.startsWith(FILE_PAIR_PREFIX)) continue;
    if (arg.length <= 2000 && (parseJoinLink(arg) || parseFilePairLink(arg))) return arg;
  }
  return null;
}
