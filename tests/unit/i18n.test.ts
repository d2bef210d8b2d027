// Every string the renderer asks i18next for exists in both catalogues (en.ts is also
// type-checked to have exactly zh-CN's keys).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  activityKinds,
  authorityLevels,
  budgetLevels,
  campaignKinds,
  duplicatePolicies,
  duplicateReasonKinds,
  errorCodes,
  forecastCategories,
  opportunityFields,
  grades,
  importFields,
  assignmentFields,
  assignmentStrategies,
  ruleOperators,
  stageKinds,
  leadSources,
  leadStatuses,
  needLevels,
  timelineLevels,
  userRoles,
} from '../../src-main/contract/index.js';
import { shortcutList } from '../../src-renderer/app/shortcuts.js';
import { leadColumnFields, pages, settingsTabs } from '../../src-renderer/app/uiStore.js';
import { en } from '../../src-renderer/i18n/en.js';
import { zhCN } from '../../src-renderer/i18n/zh-CN.js';

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? files(path.join(dir, e.name))
        : /\.tsx?$/.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    );
}

function lookup(catalogue: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (node as Record<string, unknown> | undefined)?.[part],
      catalogue,
    );
}

const has = (catalogue: unknown, key: string) =>
  typeof lookup(catalogue, key) === 'string' ||
  typeof lookup(catalogue, `${key}_other`) === 'string';

describe('translations', () => {
  const source = files('src-renderer')
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n');

  it('every literal key used in the renderer exists in zh-CN and en', () => {
    const keys = [...source.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(30);
    for (const key of new Set(keys)) {
      expect(has(zhCN, key), `zh-CN: ${key}`).toBe(true);
      expect(has(en, key), `en: ${key}`).toBe(true);
    }
  });

  it('every value of the enums the UI shows has a label in both languages', () => {
    const groups: [string, readonly string[]][] = [
      ['status', leadStatuses],
      ['source', leadSources],
      ['activities.kind', activityKinds],
      ['errors', errorCodes],
      ['form.duplicateReason', duplicateReasonKinds],
      ['form.duplicateEntity', ['leads', 'contacts']],
      ['activities.views', ['today', 'overdue', 'upcoming', 'done']],
      ['activities.log', activityKinds],
      ['activities.defaultSubject', activityKinds],
      ['bant.budget', budgetLevels],
      ['bant.authority', authorityLevels],
      ['bant.need', needLevels],
      ['bant.timeline', timelineLevels],
      ['events.kinds', campaignKinds],
      ['team.roles', userRoles],
      ['grade', grades],
      ['nav', pages],
      ['leads.columns', leadColumnFields],
      ['timeline.lead', ['created', 'updated', 'deleted', 'restored']],
      ['timeline.opportunity', ['created', 'updated', 'deleted', 'restored']],
      ['opportunity.categories', forecastCategories],
      // Fields an opportunity's timeline can name.
      ['fields', Object.keys(opportunityFields.shape).filter((f) => f !== 'stage_position')],
      ['views', ['all', 'myHot', 'boothToday', 'overdue']],
      ['imports.policy', duplicatePolicies],
      ['imports.action', ['skipped', 'created', 'merged']],
      ['fields', importFields],
      ['', shortcutList.map(([, key]) => key)],
      ['rules.ops', ruleOperators],
      ['assignment.strategies', assignmentStrategies],
      ['settings.tabs', settingsTabs],
      ['stages.kinds', stageKinds],
    ];
    // A rule field is labelled as a lead field or, when derived, under rules.fields.
    for (const f of assignmentFields) {
      for (const [name, cat] of [
        ['zh-CN', zhCN],
        ['en', en],
      ] as const)
        expect(has(cat, `rules.fields.${f}`) || has(cat, `fields.${f}`), `${name} field ${f}`).toBe(
          true,
        );
    }
    for (const [prefix, values] of groups) {
      for (const v of values) {
        const key = prefix ? `${prefix}.${v}` : v;
        expect(has(zhCN, key), `zh-CN ${key}`).toBe(true);
        expect(has(en, key), `en ${key}`).toBe(true);
      }
    }
  });

  it('no catalogue entry is left untranslated in English', () => {
    const walk = (zh: unknown, e: unknown, at: string): void => {
      if (typeof zh === 'string') {
        if (/\p{Script=Han}/u.test(zh))
          expect(/\p{Script=Han}/u.test(e as string), `en ${at}`).toBe(false);
        return;
      }
      for (const k of Object.keys(zh as object))
        walk((zh as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], `${at}.${k}`);
    };
    walk(zhCN, en, '');
  });
});
