import { useMutation, useQuery } from '@tanstack/react-query';
import { api, optionalApi } from '../../app/api.ts';
import type { Page, Priority, User, Weekday } from '../../app/api.types.ts';
import { queryClient } from '../../app/query-client.ts';

/** The admin screens' view of the API (mirrors the zod schemas in src/domain; the OpenAPI document is the reference). */
export type AdminUser = User & { isActive: boolean; maxOpenCases: number | null; createdAt: string };
export type Team = { id: string; name: string; leadId: string | null; memberIds: string[]; createdAt: string };
export type RoutingStrategy = 'round-robin' | 'least-loaded' | 'manual';
export type TeamRouting = { teamId: string; strategy: RoutingStrategy; updatedAt: string | null };

export type TimeBlock = [string, string];
export type WeekHours = Record<Weekday, TimeBlock[]>;
export type Holiday = string | { date: string; yearly?: boolean; name?: string };
export type CalendarDefinition = { timeZone: string; week: WeekHours; holidays: Holiday[] };
export type Calendar = { id: string; name: string; definition: CalendarDefinition; isTwentyFourSeven: boolean; updatedAt: string };

export type SlaDuration = { minutes: number } | { days: number };
export type TargetKind = 'firstResponse' | 'nextResponse' | 'resolution';
export type PlanTargets = Record<Priority, Record<TargetKind, SlaDuration>>;
export const PAUSABLE_STATUSES = ['pending-customer', 'pending-vendor', 'on-hold'] as const;
export type PausableStatus = (typeof PAUSABLE_STATUSES)[number];
export type Plan = {
  id: string;
  code: string;
  name: string;
  calendarId: string;
  targets: PlanTargets;
  pauseStatuses: PausableStatus[];
  warningThresholds: number[];
  seniorOnly: boolean;
  teamId: string | null;
  namedTam: boolean;
  panicQuota: number | null;
};

export type Mailbox = { id: string; address: string; name: string; teamId: string | null; imapUrl: string | null; isActive: boolean; createdAt: string; updatedAt: string };
export type OutboundMail = { id: string; kind: string; state: string; ticketId: string | null; to: string[]; subject: string; attempts: number; lastError: string | null; deadAt: string | null; createdAt: string };
export type PanicEvent = { id: string; organizationId: string; organizationName: string; ticketId: string; ticketNumber: number; pressedBy: { id: string; name: string; email: string }; description: string; createdAt: string };

/** Every user the admin may see, all pages (agents and contacts: a few hundred at most here). */
export function useAllUsers() {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => {
      const users: AdminUser[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<AdminUser> = await api<Page<AdminUser>>(`/users?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        users.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return users.sort((left, right) => left.name.localeCompare(right.name));
    },
  });
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/teams').then((page) => page.items) });
}

export function useTeamRouting(teamId: string) {
  return useQuery({ queryKey: ['team-routing', teamId], queryFn: () => optionalApi<TeamRouting>(`/teams/${teamId}/routing`) });
}

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: () => api<{ items: Plan[] }>('/plans').then((page) => page.items) });
}

export function useCalendars() {
  return useQuery({ queryKey: ['calendars'], queryFn: () => api<{ items: Calendar[] }>('/calendars').then((page) => page.items) });
}

export function useCalendar(id: string) {
  return useQuery({ queryKey: ['calendars', id], queryFn: () => api<Calendar>(`/calendars/${id}`) });
}

/** Mailboxes; null while the mail routes are not deployed on this server. */
export function useMailboxes() {
  return useQuery({ queryKey: ['mailboxes'], queryFn: () => optionalApi<{ items: Mailbox[] }>('/mailboxes').then((page) => page?.items ?? null) });
}

/** Outbound mail that failed for good; null while the route is not deployed. */
export function useDeadLetters() {
  return useQuery({ queryKey: ['outbound-mail', 'dead'], queryFn: () => optionalApi<{ items: OutboundMail[] }>('/mail/outbound?state=dead').then((page) => page?.items ?? null) });
}

export function usePanicHistory() {
  return useQuery({ queryKey: ['panic-history'], queryFn: () => optionalApi<Page<PanicEvent>>('/panic?limit=200') });
}

/** A write whose success refreshes the listed queries. */
export function useAdminMutation<Input, Output>(send: (input: Input) => Promise<Output>, refresh: string[][]) {
  return useMutation({
    mutationFn: send,
    onSuccess: () => Promise.all(refresh.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
