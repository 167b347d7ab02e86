import { useQuery } from '@tanstack/react-query';
import { optionalApi } from '../../app/api.ts';
import type { PanicQuota } from '../../app/api.types.ts';

/** The organisation's panic quota; null when the panic route is not deployed (the button hides). */
export function usePanicQuota(organizationId: string | null) {
  return useQuery({
    queryKey: ['panic-quota', organizationId],
    enabled: Boolean(organizationId),
    queryFn: () => optionalApi<PanicQuota>(`/organizations/${organizationId}/panic-quota`),
  });
}
