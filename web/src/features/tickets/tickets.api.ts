import { useMutation, useQuery } from '@tanstack/react-query';
import { api, optionalApi } from '../../app/api.ts';
import type { Message, Page, Priority, Rating, Ticket, TicketSla, TicketStatus, TimelineEntry, User } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';

export type QueueParams = { view: string; sort?: string; priority?: string; status?: string; organizationId?: string; assigneeId?: string; tag?: string; product?: string; plan?: string };

export function useQueue(params: QueueParams) {
  const search = new URLSearchParams({ limit: '100' });
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  return useQuery({ queryKey: ['tickets', params], queryFn: () => api<Page<Ticket>>(`/tickets?${search}`) });
}

export type BreachingItem = { ticketId: string; number: number; kind: 'first-response' | 'next-response' | 'resolution'; dueAt: string };

/** Open cases whose running SLA clock falls due within the window; null when SLA is not deployed. */
export function useBreachingSoon(withinMinutes = 240) {
  return useQuery({
    queryKey: ['tickets', 'breaching-soon', withinMinutes],
    queryFn: () => optionalApi<{ items: BreachingItem[] }>(`/sla/breaching-soon?withinMinutes=${withinMinutes}&limit=200`).then((page) => page?.items ?? null),
    refetchInterval: 60_000,
  });
}

export function useTicket(id: string) {
  return useQuery({ queryKey: ['ticket', id], queryFn: () => api<Ticket>(`/tickets/${id}`) });
}

export function useMessages(id: string) {
  return useQuery({ queryKey: ['messages', id], queryFn: () => api<{ items: Message[] }>(`/tickets/${id}/messages`).then((page) => page.items) });
}

export function useTimeline(id: string) {
  return useQuery({ queryKey: ['timeline', id], queryFn: () => api<{ items: TimelineEntry[] }>(`/tickets/${id}/timeline`).then((page) => page.items) });
}

/** SLA clocks: null while the route is not deployed (the widget hides). */
export function useSla(id: string) {
  return useQuery({ queryKey: ['sla', id], queryFn: () => optionalApi<TicketSla>(`/tickets/${id}/sla`) });
}

export function useRatings(id: string) {
  return useQuery({ queryKey: ['ratings', id], queryFn: () => optionalApi<{ items: Rating[] }>(`/tickets/${id}/ratings`).then((page) => page?.items ?? null) });
}

/** People the user may see, by id (agents see everyone; contacts see themselves and, as admins, their colleagues). */
export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: async () => {
      const users = new Map<string, User>();
      let cursor: string | null = null;
      do {
        const page: Page<User> = await api<Page<User>>(`/users?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        for (const user of page.items) users.set(user.id, user);
        cursor = page.nextCursor;
      } while (cursor);
      return users;
    },
    staleTime: 5 * 60_000,
  });
}

function refreshTicket(ticketId: string): void {
  for (const key of ['ticket', 'messages', 'timeline', 'sla', 'ratings', 'links']) void queryClient.invalidateQueries({ queryKey: [key, ticketId] });
  void queryClient.invalidateQueries({ queryKey: ['tickets'] });
}

export type TicketChange = Partial<{ status: TicketStatus; priority: Priority; assigneeId: string | null; teamId: string | null; supportLine: 'L1' | 'L2' | 'L3' | null; tags: string[] }>;

export function useUpdateTicket(id: string) {
  return useMutation({
    mutationFn: (change: TicketChange) => api<Ticket>(`/tickets/${id}`, { method: 'PATCH', body: change }),
    onSuccess: (ticket) => {
      queryClient.setQueryData(['ticket', id], ticket);
      refreshTicket(id);
    },
  });
}

export function useAddMessage(id: string) {
  return useMutation({
    mutationFn: (input: { body: string; internal: boolean; attachmentIds: string[] }) =>
      api<Message>(`/tickets/${id}/messages`, { method: 'POST', body: { body: input.body, internal: input.internal, ...(input.attachmentIds.length > 0 && { attachmentIds: input.attachmentIds }) } }),
    onSuccess: () => refreshTicket(id),
  });
}

export function useRateMessage(ticketId: string) {
  return useMutation({
    mutationFn: (input: { messageId: string; rating: 'good' | 'bad'; comment: string }) =>
      api<Rating>(`/tickets/${ticketId}/messages/${input.messageId}/rating`, { method: 'PUT', body: { rating: input.rating, comment: input.comment.trim() || null } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['ratings', ticketId] }),
  });
}
