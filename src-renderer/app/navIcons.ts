// One icon per page, for the sidebar (shown alone when it is collapsed).
import {
  ChartColumn,
  Combine,
  House,
  Kanban,
  ListChecks,
  Settings,
  TrendingUp,
  Upload,
  Users,
  Zap,
  type LucideIcon,
} from 'lucide-react';
import type { Page } from './uiStore.js';

export const navIcons: Record<Page, LucideIcon> = {
  home: House,
  capture: Zap,
  leads: Users,
  imports: Upload,
  duplicates: Combine,
  pipeline: Kanban,
  forecast: TrendingUp,
  activities: ListChecks,
  reports: ChartColumn,
  settings: Settings,
};
