import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { LinkKind, Team, TicketLink } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';

export function useLinks(ticketId: string) {
  return useQuery({ queryKey: ['links', ticketId], queryFn: () => api<{ items: TicketLink[] }>(`/tickets/${ticketId}/links`).then((page) => page.items) });
}

export type NewLink = { kind: LinkKind; targetNumber?: number; externalRef?: string; externalUrl?: string };

export function useAddLink(ticketId: string) {
  return useMutation({
    mutationFn: (link: NewLink) => api<TicketLink>(`/tickets/${ticketId}/links`, { method: 'POST', body: link }),
    onSuccess: (link) => {
      void queryClient.invalidateQueries({ queryKey: ['links', ticketId] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', ticketId] });
      if (link.targetTicketId) void queryClient.invalidateQueries({ queryKey: ['links', link.targetTicketId] });
    },
  });
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/teams').then((page) => page.items), staleTime: 5 * 60_000 });
}
