import { z } from 'zod';
import { currencySchema } from './fields.js';

/** Team-wide settings (synced). Each key is one row of the `settings` table. */
export const teamSettingsSchema = z.strictObject({
  /** Currency new leads and opportunities default to. */
  currency: currencySchema,
  /** Region used to read phone numbers typed without a country code (ISO 3166 alpha-2). */
  phoneRegion: z.string().regex(/^[A-Z]{2}$/, 'must be a country code like CN'),
  /** Name shown in the window title and exports. */
  teamName: z.string().trim().max(100),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;
export const defaultTeamSettings: TeamSettings = {
  currency: 'CNY',
  phoneRegion: 'CN',
  teamName: '',
};
export const teamSettingsPatchSchema = teamSettingsSchema.partial();
