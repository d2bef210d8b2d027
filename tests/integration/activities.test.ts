import { describe, expect, it } from 'vitest';
import { memoryApi } from '../helpers/api.js';

const DAY = 86_400_000;

describe('follow-up', () => {
  it('logging a call or meeting on a new lead marks it contacted; a note does not', async () => {
    const { api } = await memoryApi();
    const a = await api.call('leads.create', { name: 'A' });
    const b = await api.call('leads.create', { name: 'B' });
    const q = await api.call('leads.create', { name: 'Q', status: 'qualified' });
    await api.call('activities.create', { kind: 'note', subject: 'met at booth', lead_id: a.id });
    expect((await api.call('leads.get', { id: a.id })).status).toBe('new');
    await api.call('activities.create', { kind: 'call', subject: 'first call', lead_id: a.id });
    await api.call('activities.create', { kind: 'meeting', subject: 'demo', lead_id: b.id });
    await api.call('activities.create', { kind: 'call', subject: 'follow-up', lead_id: q.id });
    expect((await api.call('leads.get', { id: a.id })).status).toBe('contacted');
    expect((await api.call('leads.get', { id: b.id })).status).toBe('contacted');
    expect((await api.call('leads.get', { id: q.id })).status).toBe('qualified');
  });

  it('sorts open tasks into overdue, today and upcoming, and done ones apart', async () => {
    const { api } = await memoryApi();
    const dayStart = Date.UTC(2026, 10, 26);
    const dayEnd = dayStart + DAY;
    const task = (subject: string, due_at: number) =>
      api.call('activities.create', { kind: 'task', subject, due_at });
    await task('yesterday', dayStart - DAY / 2);
    await task('this morning', dayStart + 3_600_000);
    await task('tonight', dayEnd - 1);
    await task('next week', dayEnd + 6 * DAY);
    const done = await task('done already', dayStart - 2 * DAY);
    await api.call('activities.update', { id: done.id, patch: { done_at: dayStart - DAY } });
    await api.call('activities.create', {
      kind: 'call',
      subject: 'not a task',
      due_at: dayStart + 1,
    });
    const view = async (v: 'today' | 'overdue' | 'upcoming' | 'done') =>
      (await api.call('activities.agenda', { view: v, day_start: dayStart, day_end: dayEnd })).map(
        (a) => a.subject,
      );
    expect(await view('overdue')).toEqual(['yesterday']);
    expect(await view('today')).toEqual(['this morning', 'tonight']);
    expect(await view('upcoming')).toEqual(['next week']);
    expect(await view('done')).toEqual(['done already']);
  });

  it('snoozes an open task a day from now when overdue, and refuses anything else', async () => {
    const { api } = await memoryApi();
    const before = Date.now();
    const late = await api.call('activities.create', {
      kind: 'task',
      subject: 'late',
      due_at: before - 3 * DAY,
    });
    const snoozed = await api.call('activities.snooze', { id: late.id });
    expect(snoozed.due_at!).toBeGreaterThanOrEqual(before + DAY);
    expect(snoozed.due_at!).toBeLessThan(Date.now() + DAY + 1000);
    const later = await api.call('activities.create', {
      kind: 'task',
      subject: 'later',
      due_at: before + 10 * DAY,
    });
    expect((await api.call('activities.snooze', { id: later.id, days: 2 })).due_at).toBe(
      before + 12 * DAY,
    );
    const note = await api.call('activities.create', { kind: 'note', subject: 'not a task' });
    await expect(api.call('activities.snooze', { id: note.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await api.call('activities.update', { id: later.id, patch: { done_at: before } });
    await expect(api.call('activities.snooze', { id: later.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(api.call('activities.snooze', { id: late.id, days: 0 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect((await api.call('activities.get', { id: later.id })).due_at).toBe(before + 12 * DAY);
  });
});
