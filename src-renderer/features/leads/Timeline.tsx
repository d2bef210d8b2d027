import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import { TimelineList } from '../../components/TimelineList.js';

/** The lead's timeline: its activities and every change to its fields, newest first. */
export function Timeline({ leadId }: { leadId: string }) {
  const timeline = useQuery({
    queryKey: ['leads', 'timeline', leadId],
    queryFn: () => api.call('leads.timeline', { id: leadId }),
  });
  return <TimelineList items={timeline.data} record="lead" />;
}
