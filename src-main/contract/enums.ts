import { z } from 'zod';

export const leadStatuses = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
export const leadStatusSchema = z.enum(leadStatuses);
export type LeadStatus = (typeof leadStatuses)[number];

export const leadSources = [
  'web_form',
  'social',
  'phone',
  'event',
  'third_party',
  'referral',
  'existing_customer',
  'other',
] as const;
export const leadSourceSchema = z.enum(leadSources);
export type LeadSource = (typeof leadSources)[number];

// BANT levels (预算 Budget, 决策权 Authority, 需求 Need, 时间 Timeline).
export const budgetLevels = ['confirmed', 'estimated', 'unknown', 'none'] as const;
export const authorityLevels = ['decision_maker', 'influencer', 'user', 'unknown'] as const;
export const needLevels = ['clear', 'vague', 'none'] as const;
export const timelineLevels = ['lt_3m', 'm3_6', 'm6_12', 'none'] as const;
export type BudgetLevel = (typeof budgetLevels)[number];
export type AuthorityLevel = (typeof authorityLevels)[number];
export type NeedLevel = (typeof needLevels)[number];
export type TimelineLevel = (typeof timelineLevels)[number];

export const grades = ['hot', 'warm', 'cold'] as const;
export type Grade = (typeof grades)[number];

export const activityKinds = ['call', 'email', 'meeting', 'note', 'task'] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const stageKinds = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof stageKinds)[number];

export const userRoles = ['rep', 'manager', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const campaignKinds = [
  'trade_show',
  'conference',
  'webinar',
  'ad',
  'email',
  'other',
] as const;
export type CampaignKind = (typeof campaignKinds)[number];

export const forecastCategories = ['commit', 'best_case', 'pipeline', 'omitted'] as const;
export type ForecastCategory = (typeof forecastCategories)[number];

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
