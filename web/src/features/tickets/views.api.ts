import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';
import type { Plan, QueueFilters, SavedView } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';

/** The filters the queue URL may carry, in the order a saved view stores them. */
export const FILTER_KEYS = ['status', 'priority', 'organizationId', 'assigneeId', 'tag', 'product', 'plan'] as const;

export function useViews() {
  return useQuery({ queryKey: ['views'], queryFn: () => api<{ items: SavedView[] }>('/views').then((page) => page.items), staleTime: 60_000 });
}

export function useSaveView() {
  return useMutation({
    mutationFn: (input: { name: string; filters: QueueFilters; sort: string }) => api<SavedView>('/views', { method: 'POST', body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['views'] }),
  });
}

export function useDeleteView() {
  return useMutation({
    mutationFn: (id: string) => api<void>(`/views/${id}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['views'] }),
  });
}

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: Plan[] }>('/plans').then((page) => page.items), staleTime: 5 * 60_000 });
}

/** A saved view as the queue URL that shows it: /queues/<base view>?<filters>&sort=… */
export function viewLocation(view: SavedView): string {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = view.filters[key];
    if (value === undefined || value === '') continue;
    search.set(key, Array.isArray(value) ? value.join(',') : value);
  }
  if (view.sort !== 'priority') search.set('sort', view.sort);
  const query = search.toString();
  return `/queues/${view.filters.view ?? 'all-open'}${query ? `?${query}` : ''}`;
}
