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
  /** Where the desktop app looks for updates: a folder on a web server holding
   * electron-builder's latest*.yml and installers. Empty: updates off. */
  updateUrl: z.union([
    z.literal(''),
    z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }).max(500),
  ]),
  /** Why deals are lost: offered when a card is moved to a lost stage. */
  lostReasons: z.array(z.string().trim().min(1).max(100)).max(30),
  /** How many units of the team currency one unit of another is worth (USD: 7.1 for a
   * CNY team): forecasts and reports add deals in other currencies with these, and say
   * so. A currency without a rate is left out of sums, and named. */
  exchangeRates: z.record(currencySchema, z.number().positive().max(1_000_000)),
  /** A deal's forecast category by its probability (%), unless the rep chose one:
   * ≥ commit → commit, ≥ bestCase → best case, ≥ pipeline → pipeline, below → omitted. */
  forecastThresholds: z
    .strictObject({
      commit: z.int().min(0).max(100),
      bestCase: z.int().min(0).max(100),
      pipeline: z.int().min(0).max(100),
    })
    .refine((t) => t.commit >= t.bestCase && t.bestCase >= t.pipeline, {
      message: 'commit ≥ best case ≥ pipeline',
    }),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;
export const defaultTeamSettings: TeamSettings = {
  currency: 'CNY',
  phoneRegion: 'CN',
  teamName: '',
  updateUrl: '',
  lostReasons: [
    '价格太高 / Price too high',
    '选择了竞争对手 / Chose a competitor',
    '没有预算 / No budget',
    '需求变化 / Needs changed',
    '联系不上 / Went silent',
  ],
  exchangeRates: {},
  forecastThresholds: { commit: 75, bestCase: 50, pipeline: 10 },
};
export const teamSettingsPatchSchema = teamSettingsSchema.partial();
