import { useQuery } from '@tanstack/react-query';
import { api, isApiError, optionalApi } from '../../app/api.ts';
import type { EnvironmentProfile, Organization } from '../../app/api.types.ts';

export function useOrganization(id: string | undefined) {
  return useQuery({ queryKey: ['organization', id], queryFn: () => api<Organization>(`/organizations/${id}`), enabled: Boolean(id) });
}

/** An environment profile version (current without one); null when the organisation has none yet. */
export function useEnvironment(organizationId: string | undefined, version?: number | null) {
  return useQuery({
    queryKey: ['environment', organizationId, version ?? 'current'],
    enabled: Boolean(organizationId),
    queryFn: async () => {
      try {
        return await api<EnvironmentProfile>(`/organizations/${organizationId}/environment${version ? `?version=${version}` : ''}`);
      } catch (error) {
        if (isApiError(error, 'ENVIRONMENT_NOT_FOUND')) return null;
        throw error;
      }
    },
  });
}

export function useEnvironmentHistory(organizationId: string) {
  return useQuery({ queryKey: ['environment', organizationId, 'history'], queryFn: () => api<{ items: EnvironmentProfile[] }>(`/organizations/${organizationId}/environment/history`).then((page) => page.items) });
}

export type Contract = { id: string; planId: string; startsOn: string; endsOn: string };

/** The contract in force and its history; null when the route is not deployed. */
export function useContract(organizationId: string) {
  return useQuery({ queryKey: ['contract', organizationId], queryFn: () => optionalApi<{ active: Contract | null; history: Contract[] }>(`/organizations/${organizationId}/contract`) });
}
