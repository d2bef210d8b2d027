// Pipeline stages (F7) edited as one list in Settings: names in both languages, order,
// win probability, kind, and when a deal in it counts as stale.
import { z } from 'zod';
import { stageKinds } from './enums.js';
import { idSchema } from './fields.js';

export const stageInputSchema = z.strictObject({
  /** Absent for a stage added in this edit. */
  id: idSchema.optional(),
  name_zh: z.string().trim().min(1).max(60),
  name_en: z.string().trim().min(1).max(60),
  probability: z.int().min(0).max(100),
  kind: z.enum(stageKinds),
  stale_days: z.int().min(1).max(3650).nullable().default(null),
});
export type StageInput = z.input<typeof stageInputSchema>;

export const stagesInputSchema = z
  .strictObject({ stages: z.array(stageInputSchema).min(3).max(30) })
  .refine((s) => s.stages.some((x) => x.kind === 'open'), {
    message: 'the pipeline needs at least one open stage',
    path: ['stages'],
  })
  .refine((s) => s.stages.some((x) => x.kind === 'won'), {
    message: 'the pipeline needs a won stage',
    path: ['stages'],
  })
  .refine((s) => s.stages.some((x) => x.kind === 'lost'), {
    message: 'the pipeline needs a lost stage',
    path: ['stages'],
  });

export const removeStageInput = z.strictObject({
  id: idSchema,
  /** Where the stage's opportunities go; required when it holds any. */
  moveTo: idSchema.optional(),
});
